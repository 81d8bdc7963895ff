/** Growable columns of unsigned integers backed by typed arrays, for flat-memory index entries. */
class Column<T extends Uint16Array | Uint32Array> {
  private data: T;
  length = 0;

  constructor(private readonly make: (size: number) => T) {
    this.data = make(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index];
  }
}

/** Values below 2^32 (NIDs, BIDs, file offsets under 4 GB): 4 bytes each. */
export class Uint32Column extends Column<Uint32Array> {
  constructor() {
    super((size) => new Uint32Array(size));
  }
}

/** Values below 2^16 (block sizes): 2 bytes each. */
export class Uint16Column extends Column<Uint16Array> {
  constructor() {
    super((size) => new Uint16Array(size));
  }
}
