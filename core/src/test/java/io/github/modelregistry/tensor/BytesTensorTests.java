package io.github.modelregistry.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code BYTES} tensors: byte strings of any length, held as the binary tensor data extension lays them out (a 4-byte
 * little-endian length, then the bytes), built, read, walked, filled by a decoder and written to an encoder.
 */
class BytesTensorTests {

	@Test
	void stringsRoundTripAsUtf8InTheExtensionsLayout() {
		Tensor tensor = Tensor.ofStrings("text", new long[] { 2, 2 }, "quiet", "", "végétarien", "日本");
		assertThat(tensor.datatype()).isSameAs(TensorDatatype.BYTES);
		assertThat(tensor.elementCount()).isEqualTo(4);
		assertThat(tensor.strings()).containsExactly("quiet", "", "végétarien", "日本");
		ByteBuffer bytes = tensor.bytes().order(ByteOrder.LITTLE_ENDIAN);
		assertThat(bytes.getInt(0)).isEqualTo(5);
		assertThat(bytes.get(4)).isEqualTo((byte) 'q');
		assertThat(bytes.getInt(9)).isZero();
		assertThat(bytes.getInt(13)).isEqualTo("végétarien".getBytes(StandardCharsets.UTF_8).length);
		assertThat(bytes.remaining()).isEqualTo(4 * 4 + 5 + 0 + 12 + 6);
	}

	@Test
	void anyBytesAreKeptExactly() {
		byte[] binary = { 0, (byte) 0xFF, (byte) 0xC3, 0x28 };
		Tensor tensor = Tensor.ofBytes("blob", new long[] { 2 }, binary, new byte[0]);
		assertThat(tensor.byteStrings()).isDeepEqualTo(new byte[][] { binary, new byte[0] });
		// Not UTF-8: as Java decodes it, with replacement characters
		assertThat(tensor.strings()[0]).contains("\uFFFD");
	}

	@Test
	void bytesThatAreNotTheLayoutAreRefusedNamingWhatIsWrong() {
		assertThatThrownBy(() -> Tensor.of("t", TensorDatatype.BYTES, new long[] { 1 }, layout(3)))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessage("Tensor 't' of datatype BYTES ends with 3 bytes after element 0, too few for an element's "
					+ "4-byte length");
		ByteBuffer overrun = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 100);
		assertThatThrownBy(() -> Tensor.of("t", TensorDatatype.BYTES, new long[] { 1 }, overrun))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessage("Tensor 't' of datatype BYTES: element 0 declares 100 bytes but only 2 are left");
		ByteBuffer huge = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, -1);
		assertThatThrownBy(() -> Tensor.of("t", TensorDatatype.BYTES, new long[] { 1 }, huge))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessage("Tensor 't' of datatype BYTES: element 0 declares 4294967295 bytes but only 0 are left");
		ByteBuffer two = Tensor.ofStrings("t", new long[] { 2 }, "a", "b").bytes();
		assertThatThrownBy(() -> Tensor.of("t", TensorDatatype.BYTES, new long[] { 3 }, two))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessage("Tensor 't' has shape [3] (3 elements) but 2 BYTES elements");
		assertThatThrownBy(() -> Tensor.ofStrings("t", new long[] { 1, 2 }, "a"))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessage("Tensor 't' has shape [1, 2] (2 elements) but 1 BYTES elements");
	}

	@Test
	void numbersAreNotReadFromByteStrings() {
		Tensor tensor = Tensor.of("t", new String[] { "1" });
		assertThatIllegalStateException().isThrownBy(tensor::asDoubles)
			.withMessage("Tensor 't' holds BYTES, which are not numbers");
		assertThatIllegalStateException().isThrownBy(tensor::floats).withMessage("Tensor 't' holds BYTES, not FP32");
		assertThatIllegalStateException().isThrownBy(() -> Tensor.ofFloats("f", new long[] { 1 }, 1f).strings())
			.withMessage("Tensor 'f' holds FP32, not BYTES");
	}

	@Test
	void zerosAreEmptyStringsAndSkipWalksTheLengths() {
		Tensor empty = Tensor.of("t", TensorDatatype.BYTES, new long[] { 3 }, TensorDatatype.BYTES.zeros(3));
		assertThat(empty.strings()).containsExactly("", "", "");
		Tensor tensor = Tensor.ofStrings("t", new long[] { 3 }, "ab", "", "cde");
		ByteBuffer bytes = tensor.bytes();
		assertThat(TensorDatatype.BYTES.skip(bytes, 0, 0)).isZero();
		assertThat(TensorDatatype.BYTES.skip(bytes, 0, 1)).isEqualTo(6);
		assertThat(TensorDatatype.BYTES.skip(bytes, 6, 2)).isEqualTo(6 + 4 + 7);
		assertThat(TensorDatatype.BYTES.skip(bytes, 0, 3)).isEqualTo(bytes.remaining());
		assertThat(TensorDatatype.FP32.skip(bytes, 8, 3)).isEqualTo(20);
		assertThat(TensorDatatype.BYTES.holds(3, 12)).isTrue();
		assertThat(TensorDatatype.BYTES.holds(3, 11)).isFalse();
		assertThat(TensorDatatype.BYTES.takes(3)).isEqualTo("takes at least 12 bytes (a 4-byte length per element)");
		assertThat(TensorDatatype.FP64.holds(3, 24)).isTrue();
		assertThat(TensorDatatype.FP64.holds(3, 25)).isFalse();
		assertThat(TensorDatatype.FP64.takes(3)).isEqualTo("takes 24 bytes");
	}

	@Test
	void elementsGrowWithTheStringsADecoderReads() {
		SplittableRandom random = new SplittableRandom(7);
		List<byte[]> strings = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			byte[] string = new byte[random.nextInt(0, 300)];
			random.nextBytes(string);
			strings.add(string);
		}
		TensorDatatype.Elements elements = TensorDatatype.BYTES.elements(strings.size(), (size) -> {
			throw new AssertionError("BYTES are not allocated up front");
		});
		ElementSource source = new ElementSource() {

			private int next;

			@Override
			public double nextFloatingPoint(double max) {
				throw new AssertionError();
			}

			@Override
			public long nextInteger(long min, long max) {
				throw new AssertionError();
			}

			@Override
			public boolean nextBoolean() {
				throw new AssertionError();
			}

			@Override
			public byte[] nextBytes() {
				return strings.get(this.next++);
			}

		};
		for (int i = 0; i < strings.size(); i++) {
			elements.read(source);
		}
		assertThat(elements.size()).isEqualTo(strings.size());
		Tensor tensor = Tensor.of("t", TensorDatatype.BYTES, new long[] { strings.size() }, elements.bytes());
		assertThat(tensor.byteStrings()).isDeepEqualTo(strings.toArray(byte[][]::new));
	}

	@Test
	void writeAllHandsEachStringToTheSinkInOrder() {
		Tensor tensor = Tensor.ofStrings("t", new long[] { 3 }, "one", "", "three");
		List<String> written = new ArrayList<>();
		ByteBuffer bytes = tensor.bytes();
		TensorDatatype.BYTES.writeAll(bytes, new ElementSink() {

			@Override
			public void writeFloat(float value) {
				throw new AssertionError();
			}

			@Override
			public void writeDouble(double value) {
				throw new AssertionError();
			}

			@Override
			public void writeLong(long value) {
				throw new AssertionError();
			}

			@Override
			public void writeBoolean(boolean value) {
				throw new AssertionError();
			}

			@Override
			public void writeBytes(ByteBuffer value) {
				byte[] copy = new byte[value.remaining()];
				value.duplicate().get(copy);
				written.add(new String(copy, StandardCharsets.UTF_8));
			}

		});
		assertThat(written).containsExactly("one", "", "three");
		assertThat(bytes.position()).isZero();
	}

	@Test
	void aSinkOrSourceForNumbersRefusesStrings() {
		ElementSink numbers = new ElementSink() {

			@Override
			public void writeFloat(float value) {
			}

			@Override
			public void writeDouble(double value) {
			}

			@Override
			public void writeLong(long value) {
			}

			@Override
			public void writeBoolean(boolean value) {
			}

		};
		assertThatThrownBy(() -> TensorDatatype.BYTES.writeAll(Tensor.of("t", new String[] { "x" }).bytes(), numbers))
			.isInstanceOf(UnsupportedOperationException.class)
			.hasMessageContaining("takes no byte strings");
	}

	private static ByteBuffer layout(int length) {
		return ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
	}

}
