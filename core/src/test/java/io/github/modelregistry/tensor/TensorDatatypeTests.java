package io.github.modelregistry.tensor;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Each datatype's behaviour, through the same small source and sink a decoder and an encoder would be.
 */
class TensorDatatypeTests {

	/**
	 * Representative values of every datatype, extremes included, as a source gives them ({@code Double},
	 * {@code Long} or {@code Boolean}) and as a sink receives them back ({@code Float} for {@code FP32}).
	 */
	static Stream<Arguments> values() {
		return Stream.of(
				Arguments.of(TensorDatatype.BOOL, List.of(true, false, true), List.of(true, false, true)),
				Arguments.of(TensorDatatype.UINT8, List.of(0L, 1L, 127L, 128L, 255L), List.of(0L, 1L, 127L, 128L, 255L)),
				Arguments.of(TensorDatatype.INT8, List.of(-128L, -1L, 0L, 127L), List.of(-128L, -1L, 0L, 127L)),
				Arguments.of(TensorDatatype.INT16, List.of(-32768L, -1L, 0L, 32767L), List.of(-32768L, -1L, 0L, 32767L)),
				Arguments.of(TensorDatatype.INT32, List.of((long) Integer.MIN_VALUE, -1L, 0L, (long) Integer.MAX_VALUE),
						List.of((long) Integer.MIN_VALUE, -1L, 0L, (long) Integer.MAX_VALUE)),
				Arguments.of(TensorDatatype.INT64, List.of(Long.MIN_VALUE, -1L, (1L << 53) + 1, Long.MAX_VALUE),
						List.of(Long.MIN_VALUE, -1L, (1L << 53) + 1, Long.MAX_VALUE)),
				Arguments.of(TensorDatatype.FP32,
						List.of(0.1, -0.0, (double) Float.MAX_VALUE, (double) Float.MIN_VALUE, Double.NaN,
								Double.NEGATIVE_INFINITY),
						List.of(0.1f, -0.0f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN, Float.NEGATIVE_INFINITY)),
				Arguments.of(TensorDatatype.FP64,
						List.of(0.1, -0.0, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN, 1.0 / 3),
						List.of(0.1, -0.0, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN, 1.0 / 3)));
	}

	@ParameterizedTest
	@MethodSource("values")
	void readThenWriteShouldRoundTripEveryValue(TensorDatatype datatype, List<Object> given, List<Object> written) {
		ByteBuffer bytes = bytes(datatype, given.size());
		Source source = new Source(given);
		for (int i = 0; i < given.size(); i++) {
			datatype.read(bytes, i, source);
		}
		assertThat(source.remaining()).isZero();
		Sink sink = new Sink();
		for (int i = 0; i < given.size(); i++) {
			datatype.write(bytes, i, sink);
		}
		assertThat(sink.written).containsExactlyElementsOf(written);
	}

	@ParameterizedTest
	@MethodSource("values")
	void getDoubleShouldWidenEveryValue(TensorDatatype datatype, List<Object> given, List<Object> written) {
		ByteBuffer bytes = bytes(datatype, given.size());
		Source source = new Source(given);
		for (int i = 0; i < given.size(); i++) {
			datatype.read(bytes, i, source);
		}
		for (int i = 0; i < given.size(); i++) {
			// Boxed, so that NaN equals NaN and -0.0 does not equal 0.0
			assertThat(Double.valueOf(datatype.getDouble(bytes, i))).as("%s element %d", datatype, i)
				.isEqualTo(Double.valueOf(asDouble(written.get(i))));
		}
	}

	@Test
	void readShouldAskForTheFloatingPointRangeOfTheDatatype() {
		List<Double> asked = new ArrayList<>();
		ElementSource source = new ElementSource() {

			@Override
			public double nextFloatingPoint(double max) {
				asked.add(max);
				return 0;
			}

			@Override
			public long nextInteger(long min, long max) {
				throw new AssertionError();
			}

			@Override
			public boolean nextBoolean() {
				throw new AssertionError();
			}

		};
		TensorDatatype.FP32.read(bytes(TensorDatatype.FP32, 1), 0, source);
		TensorDatatype.FP64.read(bytes(TensorDatatype.FP64, 1), 0, source);
		assertThat(asked).containsExactly((double) Float.MAX_VALUE, Double.MAX_VALUE);
	}

	@Test
	void readShouldStoreUint8255AsTheByteMinusOneAndWriteItBackAs255() {
		ByteBuffer bytes = bytes(TensorDatatype.UINT8, 1);
		TensorDatatype.UINT8.read(bytes, 0, new Source(List.of(255L)));
		assertThat(bytes.get(0)).isEqualTo((byte) -1);
		assertThat(TensorDatatype.UINT8.getDouble(bytes, 0)).isEqualTo(255);
		Sink sink = new Sink();
		TensorDatatype.UINT8.write(bytes, 0, sink);
		assertThat(sink.written).containsExactly(255L);
		// The same byte is -1 to INT8
		Sink signed = new Sink();
		TensorDatatype.INT8.write(bytes, 0, signed);
		assertThat(signed.written).containsExactly(-1L);
	}

	@Test
	void readShouldAskForTheRangeOfEachIntegerDatatype() {
		assertThat(range(TensorDatatype.UINT8)).containsExactly(0L, 255L);
		assertThat(range(TensorDatatype.INT8)).containsExactly(-128L, 127L);
		assertThat(range(TensorDatatype.INT16)).containsExactly((long) Short.MIN_VALUE, (long) Short.MAX_VALUE);
		assertThat(range(TensorDatatype.INT32)).containsExactly((long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE);
		assertThat(range(TensorDatatype.INT64)).containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
	}

	@Test
	void readShouldRejectOutOfRangeUint8() {
		ByteBuffer bytes = bytes(TensorDatatype.UINT8, 2);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TensorDatatype.UINT8.read(bytes, 0, new Source(List.of(256L))))
			.withMessage("256 is out of range [0, 255]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TensorDatatype.UINT8.read(bytes, 1, new Source(List.of(-1L))))
			.withMessage("-1 is out of range [0, 255]");
		assertThat(bytes.get(0)).as("nothing stored").isZero();
		assertThat(bytes.get(1)).as("nothing stored").isZero();
	}

	@Test
	void readShouldRejectOutOfRangeInt8Int16AndInt32() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TensorDatatype.INT8.read(bytes(TensorDatatype.INT8, 1), 0, new Source(List.of(128L))))
			.withMessage("128 is out of range [-128, 127]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TensorDatatype.INT16.read(bytes(TensorDatatype.INT16, 1), 0, new Source(List.of(-32769L))))
			.withMessage("-32769 is out of range [-32768, 32767]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TensorDatatype.INT32.read(bytes(TensorDatatype.INT32, 1), 0,
					new Source(List.of(1L << 31))))
			.withMessage("2147483648 is out of range [-2147483648, 2147483647]");
	}

	@Test
	void readShouldAskEachDatatypeForItsKindOfValue() {
		// A source that only has a number cannot fill a BOOL, and one that only has a boolean cannot fill an FP32
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TensorDatatype.BOOL.read(bytes(TensorDatatype.BOOL, 1), 0, new Source(List.of(1L))))
			.withMessage("1 is not a boolean");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TensorDatatype.FP32.read(bytes(TensorDatatype.FP32, 1), 0, new Source(List.of(true))))
			.withMessage("true is not a floating point number");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TensorDatatype.INT64.read(bytes(TensorDatatype.INT64, 1), 0, new Source(List.of(0.5))))
			.withMessage("0.5 is not an integer");
	}

	@Test
	void writeShouldPassFp32AsAFloatSoItKeepsItsShortForm() {
		ByteBuffer bytes = bytes(TensorDatatype.FP32, 1);
		TensorDatatype.FP32.read(bytes, 0, new Source(List.of(0.1)));
		Sink sink = new Sink();
		TensorDatatype.FP32.write(bytes, 0, sink);
		assertThat(sink.written).singleElement().isInstanceOf(Float.class);
		assertThat(String.valueOf(sink.written.get(0))).isEqualTo("0.1");
	}

	@Test
	void getDoubleShouldReadAnyNonZeroBoolByteAsOne() {
		ByteBuffer bytes = ByteBuffer.wrap(new byte[] { 0, 1, 2, -1 });
		assertThat(new double[] { TensorDatatype.BOOL.getDouble(bytes, 0), TensorDatatype.BOOL.getDouble(bytes, 1),
				TensorDatatype.BOOL.getDouble(bytes, 2), TensorDatatype.BOOL.getDouble(bytes, 3) })
			.containsExactly(0, 1, 1, 1);
	}

	@ParameterizedTest
	@MethodSource("typedBuffers")
	void readAndWriteShouldUseTheLayoutOfATypedNativeOrderBuffer(TensorDatatype datatype, Buffer values) {
		ByteBuffer typed = datatype.toBytes(values);
		int count = values.remaining();
		Sink sink = new Sink();
		for (int i = 0; i < count; i++) {
			datatype.write(typed, i, sink);
		}
		List<Object> given = sink.written.stream()
			.map((value) -> (value instanceof Float number) ? (Object) number.doubleValue() : value)
			.toList();
		ByteBuffer read = bytes(datatype, count);
		// Not positioned at 0: gets and puts are absolute, from the buffer's start, and do not move it
		read.position(read.limit());
		Source source = new Source(given);
		for (int i = 0; i < count; i++) {
			datatype.read(read, i, source);
		}
		assertThat(read.position()).isEqualTo(read.limit());
		assertThat(read.clear()).isEqualTo(typed);
	}

	@Test
	void multiByteElementsShouldBeStoredInNativeOrderAtIndexTimesSize() {
		ByteBuffer bytes = bytes(TensorDatatype.INT32, 2);
		TensorDatatype.INT32.read(bytes, 1, new Source(List.of(0x01020304L)));
		byte[] expected = (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) ? new byte[] { 0, 0, 0, 0, 4, 3, 2, 1 }
				: new byte[] { 0, 0, 0, 0, 1, 2, 3, 4 };
		assertThat(bytes.array()).containsExactly(expected);
	}

	@Test
	void viewShouldBeTypedNativeOrderAndShareTheBytes() {
		ByteBuffer bytes = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
		FloatBuffer floats = (FloatBuffer) TensorDatatype.FP32.view(bytes);
		assertThat(floats.order()).isEqualTo(ByteOrder.nativeOrder());
		assertThat(floats.isDirect()).isTrue();
		assertThat(floats.remaining()).isEqualTo(4);
		bytes.putFloat(4, 2.5f);
		assertThat(floats.get(1)).isEqualTo(2.5f);
		// Read-only bytes give a read-only view
		assertThat(TensorDatatype.INT64.view(bytes.asReadOnlyBuffer()).isReadOnly()).isTrue();
		// Only the remaining bytes, from position to limit
		assertThat(TensorDatatype.INT32.view(bytes.duplicate().position(8)).remaining()).isEqualTo(2);
		assertThat(((ByteBuffer) TensorDatatype.UINT8.view(bytes.duplicate().position(8))).remaining()).isEqualTo(8);
	}

	static Stream<Arguments> typedBuffers() {
		return Stream.of(Arguments.of(TensorDatatype.FP32, FloatBuffer.wrap(new float[] { 9, 0.1f, -2 })),
				Arguments.of(TensorDatatype.FP64, DoubleBuffer.wrap(new double[] { 9, 0.1, -2 })),
				Arguments.of(TensorDatatype.INT32, IntBuffer.wrap(new int[] { 9, Integer.MIN_VALUE, -2 })),
				Arguments.of(TensorDatatype.INT64, LongBuffer.wrap(new long[] { 9, Long.MAX_VALUE, -2 })),
				Arguments.of(TensorDatatype.INT16, ShortBuffer.wrap(new short[] { 9, Short.MIN_VALUE, -2 })),
				Arguments.of(TensorDatatype.INT8, ByteBuffer.wrap(new byte[] { 9, -128, -2 })),
				Arguments.of(TensorDatatype.UINT8, ByteBuffer.wrap(new byte[] { 9, (byte) 255, 2 })),
				Arguments.of(TensorDatatype.BOOL, ByteBuffer.wrap(new byte[] { 1, 1, 0 })));
	}

	@ParameterizedTest
	@MethodSource("typedBuffers")
	void toBytesShouldCopyTheRemainingElementsInNativeOrderWithoutMovingTheBuffer(TensorDatatype datatype,
			Buffer values) {
		// Skip the first element: only the remaining ones are copied
		values.position(1);
		ByteBuffer bytes = datatype.toBytes(values);
		assertThat(values.position()).isEqualTo(1);
		assertThat(bytes.order()).isEqualTo(ByteOrder.nativeOrder());
		assertThat(bytes.position()).isZero();
		assertThat(bytes.remaining()).isEqualTo(2 * datatype.bytes());
		assertThat(datatype.view(bytes)).isEqualTo(values);
		assertThat(bytes.array()).as("a copy").isNotSameAs(values.array());
	}

	@Test
	void toBytesShouldRejectABufferOfAnotherKind() {
		assertThatIllegalArgumentException().isThrownBy(() -> TensorDatatype.FP32.toBytes(DoubleBuffer.allocate(2)))
			.withMessageStartingWith("Datatype FP32 is held in a FloatBuffer, not a ");
		assertThatIllegalArgumentException().isThrownBy(() -> TensorDatatype.UINT8.toBytes(ShortBuffer.allocate(2)))
			.withMessageContaining("Datatype UINT8 is held in a ByteBuffer");
	}

	@Test
	void bufferTypesAndSizesShouldMatch() {
		assertThat(Arrays.stream(TensorDatatype.values()).map(TensorDatatype::bufferType)).containsExactly(
				ByteBuffer.class, ByteBuffer.class, ByteBuffer.class, ShortBuffer.class, IntBuffer.class,
				LongBuffer.class, FloatBuffer.class, DoubleBuffer.class, ByteBuffer.class);
		// BYTES elements vary in size
		assertThat(Arrays.stream(TensorDatatype.values()).mapToInt(TensorDatatype::bytes)).containsExactly(1, 1, 1, 2,
				4, 8, 4, 8, 0);
	}

	@Test
	void onnxTypeNamesShouldMapBothWays() {
		assertThat(TensorDatatype.FP32.onnxTypeName()).isEqualTo("FLOAT");
		assertThat(TensorDatatype.FP64.onnxTypeName()).isEqualTo("DOUBLE");
		assertThat(TensorDatatype.BOOL.onnxTypeName()).isEqualTo("BOOL");
		for (TensorDatatype datatype : TensorDatatype.values()) {
			assertThat(TensorDatatype.ofOnnxTypeName(datatype.onnxTypeName())).isSameAs(datatype);
		}
		assertThat(TensorDatatype.ofOnnxTypeName("FP32")).as("a V2 name, not an ONNX Runtime one").isNull();
		assertThat(TensorDatatype.ofOnnxTypeName("FLOAT16")).isNull();
		assertThat(TensorDatatype.ofOnnxTypeName("STRING")).isSameAs(TensorDatatype.BYTES);
	}

	@Test
	void fromNameShouldNameTheSupportedDatatypes() {
		assertThat(TensorDatatype.fromName("UINT8")).isSameAs(TensorDatatype.UINT8);
		assertThatIllegalArgumentException().isThrownBy(() -> TensorDatatype.fromName("FLOAT"))
			.withMessage("Unsupported datatype 'FLOAT'; supported datatypes are BOOL, UINT8, INT8, INT16, INT32, "
					+ "INT64, FP32, FP64, BYTES");
		assertThat(TensorDatatype.fromName("BYTES")).isSameAs(TensorDatatype.BYTES);
	}

	private static List<Long> range(TensorDatatype datatype) {
		List<Long> range = new ArrayList<>();
		datatype.read(bytes(datatype, 1), 0, new ElementSource() {

			@Override
			public double nextFloatingPoint(double max) {
				throw new AssertionError();
			}

			@Override
			public long nextInteger(long min, long max) {
				range.add(min);
				range.add(max);
				return 0;
			}

			@Override
			public boolean nextBoolean() {
				throw new AssertionError();
			}

		});
		return range;
	}

	private static ByteBuffer bytes(TensorDatatype datatype, int count) {
		return ByteBuffer.allocate(count * datatype.bytes()).order(ByteOrder.nativeOrder());
	}

	private static double asDouble(Object value) {
		if (value instanceof Boolean bool) {
			return bool ? 1 : 0;
		}
		return ((Number) value).doubleValue();
	}

	/**
	 * Gives values in order, checking kind and range as a decoder does.
	 */
	private static final class Source implements ElementSource {

		private final Deque<Object> values;

		Source(List<Object> values) {
			this.values = new ArrayDeque<>(values);
		}

		int remaining() {
			return this.values.size();
		}

		@Override
		public double nextFloatingPoint(double max) {
			Object value = this.values.pop();
			if (!(value instanceof Double number)) {
				throw new IllegalArgumentException(value + " is not a floating point number");
			}
			// Any double, non-finite ones included: what a datatype stores is the source's to check
			return number;
		}

		@Override
		public long nextInteger(long min, long max) {
			Object value = this.values.pop();
			if (!(value instanceof Long number)) {
				throw new IllegalArgumentException(value + " is not an integer");
			}
			if (number < min || number > max) {
				throw new IllegalArgumentException(number + " is out of range [" + min + ", " + max + "]");
			}
			return number;
		}

		@Override
		public boolean nextBoolean() {
			Object value = this.values.pop();
			if (!(value instanceof Boolean bool)) {
				throw new IllegalArgumentException(value + " is not a boolean");
			}
			return bool;
		}

	}

	/**
	 * Records what it is given, boxed as the method called: {@code Float}, {@code Double}, {@code Long} or
	 * {@code Boolean}.
	 */
	private static final class Sink implements ElementSink {

		final List<Object> written = new ArrayList<>();

		@Override
		public void writeFloat(float value) {
			this.written.add(value);
		}

		@Override
		public void writeDouble(double value) {
			this.written.add(value);
		}

		@Override
		public void writeLong(long value) {
			this.written.add(value);
		}

		@Override
		public void writeBoolean(boolean value) {
			this.written.add(value);
		}

	}

}
