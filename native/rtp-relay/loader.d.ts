/** The raw addon exports; typed by @tandem/media's native-binding.ts. */
export declare const binding: unknown;
