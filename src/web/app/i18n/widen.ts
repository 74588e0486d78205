/** A translation's shape: the same keys as English, any strings, each key optional (English fills gaps). */
export type Widen<T> = { [K in keyof T]?: T[K] extends string ? string : Widen<T[K]> };
