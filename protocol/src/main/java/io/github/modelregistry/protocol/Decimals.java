package io.github.modelregistry.protocol;

/**
 * The fast path for the decimal numbers tensors are sent as in JSON ({@code 0.324}, {@code -1.5e-3}): Clinger's
 * (1990). A decimal with at most 15 significant digits has a significand w below 10^15, exactly a double; 10^k for
 * k ≤ 22 is exactly a double too; so w × 10^k or w ÷ 10^k is one IEEE operation on exact operands, and IEEE rounds
 * each operation correctly: the result is the double nearest the decimal, bit for bit what
 * {@link Double#parseDouble(String)} gives. Anything else (more digits, a larger exponent) is left to the caller's
 * full parser: {@link #exact} answers NaN.
 *
 * <p>Why: Jackson tokenizes a number into its text buffer, then parses that text a second time when asked for the
 * value (with FastDoubleParser, about 20 % of a 10 x 40 request's CPU in the JSON face's profile); reading the
 * token's characters here once is a third of that. The text is a JSON number Jackson has already validated.
 */
final class Decimals {

	private static final double[] POWERS_OF_TEN = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
			1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

	private static final int MAX_DIGITS = 15;

	private Decimals() {
	}

	/**
	 * The double nearest the JSON number in {@code text[offset, offset + length)}, or NaN if the fast path does not
	 * apply.
	 */
	static double exact(char[] text, int offset, int length) {
		int i = offset;
		int end = offset + length;
		boolean negative = i < end && text[i] == '-';
		if (negative) {
			i++;
		}
		long significand = 0;
		int digits = 0;
		int scale = 0;
		boolean fraction = false;
		for (; i < end; i++) {
			char c = text[i];
			if (c == '.' && !fraction) {
				fraction = true;
				continue;
			}
			if (c < '0' || c > '9') {
				break;
			}
			// Leading zeros are not significant digits ("0.000123" has three)
			if (digits > 0 || c != '0') {
				if (++digits > MAX_DIGITS) {
					return Double.NaN;
				}
			}
			significand = significand * 10 + (c - '0');
			if (fraction) {
				scale++;
			}
		}
		int exponent = 0;
		if (i < end && (text[i] == 'e' || text[i] == 'E')) {
			i++;
			boolean negativeExponent = false;
			if (i < end && (text[i] == '+' || text[i] == '-')) {
				negativeExponent = text[i] == '-';
				i++;
			}
			if (i == end) {
				return Double.NaN;
			}
			for (; i < end; i++) {
				char c = text[i];
				if (c < '0' || c > '9' || exponent > 1000) {
					return Double.NaN;
				}
				exponent = exponent * 10 + (c - '0');
			}
			if (negativeExponent) {
				exponent = -exponent;
			}
		}
		if (i != end || (digits == 0 && significand != 0)) {
			return Double.NaN;
		}
		int power = exponent - scale;
		double value = significand;
		if (power > 0) {
			if (power >= POWERS_OF_TEN.length) {
				return Double.NaN;
			}
			value *= POWERS_OF_TEN[power];
		}
		else if (power < 0) {
			if (-power >= POWERS_OF_TEN.length) {
				return Double.NaN;
			}
			value /= POWERS_OF_TEN[-power];
		}
		return negative ? -value : value;
	}

}
