package io.github.modelregistry.protocol;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path must give, bit for bit, what {@link Double#parseDouble} gives, or step aside (NaN): checked on every
 * shape of JSON number it can meet, a million of them from a fixed seed, and on the edges by hand.
 */
class DecimalsTests {

	private static double exact(String number) {
		return Decimals.exact(number.toCharArray(), 0, number.length());
	}

	private static void assertSameAsParseDouble(String number) {
		double fast = exact(number);
		if (!Double.isNaN(fast)) {
			assertThat(Double.doubleToRawLongBits(fast)).as(number)
				.isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(number)));
			// And so the FP32 a tensor stores is the same too
			assertThat(Float.floatToRawIntBits((float) fast)).as(number)
				.isEqualTo(Float.floatToRawIntBits((float) Double.parseDouble(number)));
		}
	}

	@Test
	void aMillionRandomJsonNumbersParseAsParseDoubleDoes() {
		Random random = new Random(20261207);
		int fast = 0;
		for (int n = 0; n < 1_000_000; n++) {
			String number = randomJsonNumber(random);
			assertSameAsParseDouble(number);
			if (!Double.isNaN(exact(number))) {
				fast++;
			}
		}
		// Most numbers a client sends take the fast path; the rest are checked by the full parser
		assertThat(fast).isGreaterThan(500_000);
	}

	@Test
	void theNumbersTensorsAreSentAsTakeTheFastPath() {
		for (String number : new String[] { "0.324", "-0.151", "0", "-0", "1", "42", "0.001", "123.456", "1e5", "1E-3",
				"-2.5e+10", "0.30000000000000004", "999999999999999", "0.000000000000000000001" }) {
			assertSameAsParseDouble(number);
		}
		assertThat(exact("0.324")).isEqualTo(0.324);
		assertThat(Double.doubleToRawLongBits(exact("-0.0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
		assertThat(exact("1e22")).isEqualTo(1e22);
	}

	@Test
	void whatTheFastPathCannotRoundExactlyIsLeftToTheFullParser() {
		// 16 significant digits, a power of ten past 10^22, an exponent that overflows an int
		assertThat(exact("1234567890123456")).isNaN();
		assertThat(exact("0.1234567890123456")).isNaN();
		assertThat(exact("1e23")).isNaN();
		assertThat(exact("1e-23")).isNaN();
		assertThat(exact("1e99999999999")).isNaN();
		assertThat(exact("1e400")).isNaN();
		// Not a number at all (Jackson would not hand these over; the fast path still refuses them)
		assertThat(exact("1e")).isNaN();
		assertThat(exact("1.2.3")).isNaN();
		assertThat(exact("abc")).isNaN();
	}

	@Test
	void onlyTheGivenRangeOfTheBufferIsRead() {
		char[] buffer = "xx0.5yy".toCharArray();
		assertThat(Decimals.exact(buffer, 2, 3)).isEqualTo(0.5);
	}

	private static String randomJsonNumber(Random random) {
		StringBuilder number = new StringBuilder();
		if (random.nextBoolean()) {
			number.append('-');
		}
		int digits = 1 + random.nextInt(18);
		int point = random.nextInt(digits + 1);
		for (int i = 0; i < digits; i++) {
			if (i == point && i > 0) {
				number.append('.');
			}
			// JSON: no leading zero before other integer digits
			int digit = (i == 0 && point != 1) ? 1 + random.nextInt(9) : random.nextInt(10);
			number.append((char) ('0' + digit));
		}
		if (random.nextInt(3) == 0) {
			number.append(random.nextBoolean() ? 'e' : 'E');
			int kind = random.nextInt(3);
			if (kind == 1) {
				number.append('-');
			}
			else if (kind == 2) {
				number.append('+');
			}
			number.append(random.nextInt(40));
		}
		return number.toString();
	}

}
