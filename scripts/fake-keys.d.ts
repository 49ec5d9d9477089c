export type KeyType = 'script' | 'install' | 'test' | 'untyped';
export declare const KEY_PREFIX: Record<KeyType, string>;
export declare function fakeKey(type?: KeyType, length?: number, seed?: number): string;
