import { MediaError } from '../media-error.js';
import { isNativeError } from '../native-binding.js';
import type { NativeError } from '../native-binding.js';

/** Throws the `MediaError` a native call reported, or returns its value. */
export function unwrapNative<T>(value: T | NativeError): Exclude<T, NativeError> {
  if (isNativeError(value)) throw MediaError.fromNative(value.error, value.message);
  return value as Exclude<T, NativeError>;
}
