/**
 * x87 80-bit extended precision ("long double") arithmetic, so `$[...]` prints what Asterisk
 * prints (Asterisk 20, main/ast_expr2.y: `FP___TYPE long double`, `FP___PRINTF "%.18Lg"`):
 * `$[10 / 3]` is `3.33333333333333333`, which a 64-bit double cannot produce.
 *
 * A finite value is `sign * mantissa * 2^exponent` with a 64-bit mantissa; every operation
 * computes the exact result with BigInt and rounds it to nearest-even, as the FPU does.
 */

const MANTISSA_BITS = 64n;
const MIN_EXPONENT = -16445; // smallest subnormal of the 80-bit format
const MAX_EXPONENT = 16384 - 64; // beyond this the value is infinite

/** An extended precision value. */
export class LongDouble {
  private constructor(
    /** 'finite' values use the fields below; the others ignore them. */
    readonly kind: 'finite' | 'nan' | 'infinity',
    readonly negative: boolean,
    /** 0 or a 64-bit mantissa (normalised unless the value is tiny). */
    readonly mantissa: bigint,
    readonly exponent: number,
  ) {}

  static readonly ZERO = new LongDouble('finite', false, 0n, 0);
  static readonly NAN = new LongDouble('nan', false, 0n, 0);

  static infinity(negative: boolean): LongDouble {
    return new LongDouble('infinity', negative, 0n, 0);
  }

  /** Rounds `negative * magnitude * 2^exponent` (+ a sticky bit for discarded non-zero bits). */
  static fromExact(negative: boolean, magnitude: bigint, exponent: number, sticky = false): LongDouble {
    if (magnitude === 0n) return new LongDouble('finite', negative, 0n, 0);
    let bits = bitLength(magnitude);
    let shift = bits - Number(MANTISSA_BITS);
    if (exponent + shift < MIN_EXPONENT) shift = MIN_EXPONENT - exponent;
    let mantissa = magnitude;
    let resultExponent = exponent;
    if (shift > 0) {
      const dropped = mantissa & ((1n << BigInt(shift)) - 1n);
      mantissa >>= BigInt(shift);
      resultExponent += shift;
      const half = 1n << BigInt(shift - 1);
      const roundUp = dropped > half || (dropped === half && (sticky || (mantissa & 1n) === 1n));
      if (roundUp) {
        mantissa += 1n;
        bits = bitLength(mantissa);
        if (bits > Number(MANTISSA_BITS)) {
          mantissa >>= 1n;
          resultExponent += 1;
        }
      }
    } else if (shift < 0) {
      mantissa <<= BigInt(-shift);
      resultExponent += shift;
    }
    if (mantissa === 0n) return new LongDouble('finite', negative, 0n, 0);
    if (resultExponent > MAX_EXPONENT) return LongDouble.infinity(negative);
    return new LongDouble('finite', negative, mantissa, resultExponent);
  }

  static fromNumber(value: number): LongDouble {
    if (Number.isNaN(value)) return LongDouble.NAN;
    if (!Number.isFinite(value)) return LongDouble.infinity(value < 0);
    if (value === 0) return new LongDouble('finite', Object.is(value, -0), 0n, 0);
    const negative = value < 0;
    let magnitude = Math.abs(value);
    let exponent = 0;
    // Scale to an integer exactly (doubles have at most 53 significant bits).
    while (!Number.isInteger(magnitude)) {
      magnitude *= 2;
      exponent -= 1;
    }
    return LongDouble.fromExact(negative, BigInt(magnitude), exponent);
  }

  /**
   * strtold(): the longest decimal prefix (optional sign, digits, point, exponent), or
   * `inf`/`nan`; text without a number gives 0.
   */
  static parse(text: string): LongDouble {
    const match = /^\s*([+-]?)(?:(inf(?:inity)?)|(nan)|(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?)/i.exec(text);
    if (!match) return LongDouble.ZERO;
    const negative = match[1] === '-';
    if (match[2]) return LongDouble.infinity(negative);
    if (match[3]) return LongDouble.NAN;
    const whole = match[4] ?? '';
    const fraction = match[5] ?? '';
    if (whole === '' && fraction === '') return LongDouble.ZERO;
    const digits = BigInt((whole + fraction).replace(/^0+(?=\d)/, '') || '0');
    const decimalExponent = Number(match[6] ?? '0') - fraction.length;
    return LongDouble.fromDecimal(negative, digits, decimalExponent);
  }

  /** Rounds `digits * 10^decimalExponent`. */
  static fromDecimal(negative: boolean, digits: bigint, decimalExponent: number): LongDouble {
    if (digits === 0n) return new LongDouble('finite', negative, 0n, 0);
    if (decimalExponent > 5000) return LongDouble.infinity(negative);
    if (decimalExponent < -5500) return new LongDouble('finite', negative, 0n, 0);
    if (decimalExponent >= 0) return LongDouble.fromExact(negative, digits * 10n ** BigInt(decimalExponent), 0);
    const divisor = 10n ** BigInt(-decimalExponent);
    // Enough quotient bits for 64 significant bits plus guard bits.
    const shift = Math.max(0, bitLength(divisor) - bitLength(digits) + 66);
    const numerator = digits << BigInt(shift);
    return LongDouble.fromExact(negative, numerator / divisor, -shift, numerator % divisor !== 0n);
  }

  isZero(): boolean {
    return this.kind === 'finite' && this.mantissa === 0n;
  }

  toNumber(): number {
    if (this.kind === 'nan') return Number.NaN;
    if (this.kind === 'infinity') return this.negative ? -Infinity : Infinity;
    const magnitude = Number(this.mantissa) * 2 ** this.exponent;
    // Split large exponents so the intermediate power of two does not overflow.
    const value = Number.isFinite(magnitude) || this.exponent < 0 ? magnitude : Number(this.mantissa) * 2 ** (this.exponent / 2) * 2 ** (this.exponent / 2);
    return this.negative ? -value : value;
  }

  negate(): LongDouble {
    return new LongDouble(this.kind, !this.negative, this.mantissa, this.exponent);
  }

  add(other: LongDouble): LongDouble {
    if (this.kind === 'nan' || other.kind === 'nan') return LongDouble.NAN;
    if (this.kind === 'infinity' || other.kind === 'infinity') {
      if (this.kind === 'infinity' && other.kind === 'infinity' && this.negative !== other.negative) return LongDouble.NAN;
      return this.kind === 'infinity' ? this : other;
    }
    if (this.mantissa === 0n) return other.mantissa === 0n ? LongDouble.fromExact(this.negative && other.negative, 0n, 0) : other;
    if (other.mantissa === 0n) return this;
    const exponent = Math.min(this.exponent, other.exponent);
    const a = signed(this) << BigInt(this.exponent - exponent);
    const b = signed(other) << BigInt(other.exponent - exponent);
    const sum = a + b;
    return LongDouble.fromExact(sum < 0n, sum < 0n ? -sum : sum, exponent);
  }

  subtract(other: LongDouble): LongDouble {
    return this.add(other.negate());
  }

  multiply(other: LongDouble): LongDouble {
    const negative = this.negative !== other.negative;
    if (this.kind === 'nan' || other.kind === 'nan') return LongDouble.NAN;
    if (this.kind === 'infinity' || other.kind === 'infinity') {
      return this.isZero() || other.isZero() ? LongDouble.NAN : LongDouble.infinity(negative);
    }
    return LongDouble.fromExact(negative, this.mantissa * other.mantissa, this.exponent + other.exponent);
  }

  divide(other: LongDouble): LongDouble {
    const negative = this.negative !== other.negative;
    if (this.kind === 'nan' || other.kind === 'nan') return LongDouble.NAN;
    if (this.kind === 'infinity') return other.kind === 'infinity' ? LongDouble.NAN : LongDouble.infinity(negative);
    if (other.kind === 'infinity') return LongDouble.fromExact(negative, 0n, 0);
    if (other.mantissa === 0n) return this.mantissa === 0n ? LongDouble.NAN : LongDouble.infinity(negative);
    const shift = 130;
    const numerator = this.mantissa << BigInt(shift);
    const quotient = numerator / other.mantissa;
    const sticky = numerator % other.mantissa !== 0n;
    return LongDouble.fromExact(negative, quotient, this.exponent - other.exponent - shift, sticky);
  }

  /** fmodl(): exact, with the sign of the dividend. */
  remainder(other: LongDouble): LongDouble {
    if (this.kind !== 'finite' || other.kind === 'nan' || other.isZero()) return LongDouble.NAN;
    if (other.kind === 'infinity') return this;
    const exponent = Math.min(this.exponent, other.exponent);
    const a = this.mantissa << BigInt(this.exponent - exponent);
    const b = other.mantissa << BigInt(other.exponent - exponent);
    return LongDouble.fromExact(this.negative, a % b, exponent);
  }

  /** -1, 0 or 1; NaN compares unequal to everything (returns undefined). */
  compare(other: LongDouble): -1 | 0 | 1 | undefined {
    if (this.kind === 'nan' || other.kind === 'nan') return undefined;
    const difference = this.subtract(other);
    if (difference.kind === 'infinity') return difference.negative ? -1 : 1;
    if (difference.isZero()) return 0;
    return difference.negative ? -1 : 1;
  }

  /** printf("%.18Lg") (or another precision), as glibc prints it. */
  format(precision = 18): string {
    if (this.kind === 'nan') return this.negative ? '-nan' : 'nan';
    if (this.kind === 'infinity') return this.negative ? '-inf' : 'inf';
    const sign = this.negative ? '-' : '';
    if (this.mantissa === 0n) return `${sign}0`;
    // Exact decimal digits of mantissa * 2^exponent.
    let digits: string;
    let pointPosition: number; // value = 0.digits * 10^pointPosition after the adjustment below
    if (this.exponent >= 0) {
      digits = (this.mantissa << BigInt(this.exponent)).toString();
      pointPosition = digits.length;
    } else {
      digits = (this.mantissa * 5n ** BigInt(-this.exponent)).toString();
      pointPosition = digits.length + this.exponent;
    }
    // Round to `precision` significant digits, half to even on the exact value.
    if (digits.length > precision) {
      const kept = BigInt(digits.slice(0, precision));
      const rest = digits.slice(precision);
      const first = rest.charCodeAt(0) - 48;
      const tail = /[1-9]/.test(rest.slice(1));
      const roundUp = first > 5 || (first === 5 && (tail || kept % 2n === 1n));
      let rounded = (roundUp ? kept + 1n : kept).toString();
      if (rounded.length > precision) {
        rounded = rounded.slice(0, precision);
        pointPosition += 1;
      }
      digits = rounded;
    }
    digits = digits.replace(/0+$/, '') || '0';
    const decimalExponent = pointPosition - 1;
    if (decimalExponent < -4 || decimalExponent >= precision) {
      const mantissaText = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
      const exponentSign = decimalExponent < 0 ? '-' : '+';
      const exponentText = String(Math.abs(decimalExponent)).padStart(2, '0');
      return `${sign}${mantissaText}e${exponentSign}${exponentText}`;
    }
    if (pointPosition <= 0) return `${sign}0.${'0'.repeat(-pointPosition)}${digits}`;
    if (pointPosition >= digits.length) return `${sign}${digits}${'0'.repeat(pointPosition - digits.length)}`;
    return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
  }
}

function signed(value: LongDouble): bigint {
  return value.negative ? -value.mantissa : value.mantissa;
}

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}
