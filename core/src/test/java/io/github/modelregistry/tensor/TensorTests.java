package io.github.modelregistry.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A tensor's one representation, native-order bytes, and the typed API over it.
 */
class TensorTests {

	private static final ByteOrder OTHER_ORDER = (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN)
			? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;

	@Test
	void ofShouldRejectBytesWhoseLengthDoesNotMatchTheShape() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.of("x", TensorDatatype.FP32, new long[] { 2, 2 }, nativeBytes(15)))
			.withMessage("Tensor 'x' has shape [2, 2] (4 FP32 elements of 4 bytes) but 15 data bytes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.of("x", TensorDatatype.INT64, new long[] { 3 }, nativeBytes(16)))
			.withMessage("Tensor 'x' has shape [3] (3 INT64 elements of 8 bytes) but 16 data bytes");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.of("x", TensorDatatype.UINT8, new long[] { 3 }, ByteBuffer.allocate(4)))
			.withMessage("Tensor 'x' has shape [3] (3 elements) but 4 data elements");
		// A shape whose byte length overflows a long does not overflow the check
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.of("x", TensorDatatype.FP64, new long[] { 1L << 61 }, nativeBytes(0)))
			.withMessageContaining("but 0 data bytes");
	}

	@Test
	void ofShouldRejectMultiByteElementsGivenAsBytesNotInNativeOrder() {
		ByteBuffer bytes = ByteBuffer.allocate(8).order(OTHER_ORDER);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.of("x", TensorDatatype.FP32, new long[] { 2 }, bytes))
			.withMessage("Tensor 'x' of datatype FP32 needs its bytes in native byte order (" + ByteOrder.nativeOrder()
					+ "), not " + OTHER_ORDER + ": call order(ByteOrder.nativeOrder()) on the buffer before writing it");
	}

	@Test
	void ofShouldAcceptOneByteElementsInAnyOrder() {
		Tensor tensor = Tensor.of("x", TensorDatatype.UINT8, new long[] { 2 },
				ByteBuffer.wrap(new byte[] { 1, (byte) 255 }).order(OTHER_ORDER));
		assertThat(tensor.asDoubles()).containsExactly(1, 255);
	}

	@Test
	void ofShouldRejectATypedBufferOfAnotherKind() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.of("x", TensorDatatype.FP32, new long[] { 2 }, IntBuffer.allocate(2)))
			.withMessageStartingWith("Tensor 'x' of datatype FP32 needs a FloatBuffer or native-order bytes in a "
					+ "ByteBuffer, not a ");
	}

	@Test
	void ofShouldRejectATypedBufferWithTheWrongNumberOfElements() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Tensor.of("x", TensorDatatype.INT16, new long[] { 2, 2 }, ShortBuffer.allocate(3)))
			.withMessage("Tensor 'x' has shape [2, 2] (4 elements) but 3 data elements");
		assertThatIllegalArgumentException().isThrownBy(() -> Tensor.ofBooleans("x", new long[] { 2 }, true))
			.withMessage("Tensor 'x' has shape [2] (2 elements) but 1 data elements");
	}

	@Test
	void ofShouldUseBytesInPlaceFromTheirPosition() {
		ByteBuffer direct = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
		direct.putFloat(4, 1.5f).putFloat(8, -2f).position(4);
		Tensor tensor = Tensor.of("x", TensorDatatype.FP32, new long[] { 2 }, direct);
		assertThat(direct.position()).isEqualTo(4);
		assertThat(tensor.floats()).containsExactly(1.5f, -2f);
		ByteBuffer bytes = tensor.bytes();
		assertThat(bytes.isDirect()).isTrue();
		assertThat(bytes.order()).isEqualTo(ByteOrder.nativeOrder());
		assertThat(bytes.position()).isZero();
		assertThat(bytes.remaining()).isEqualTo(8);
		assertThat(tensor.data().isDirect()).isTrue();
		// Not copied: the tensor shares the memory its creator filled
		direct.putFloat(4, 3f);
		assertThat(tensor.floats()).containsExactly(3f, -2f);
	}

	@Test
	void typedFactoriesShouldCopyTheValues() {
		float[] values = { 1, 2 };
		Tensor tensor = Tensor.ofFloats("x", new long[] { 2 }, values);
		values[0] = 9;
		assertThat(tensor.floats()).containsExactly(1, 2);
		assertThat(tensor.bytes().isDirect()).isFalse();
		FloatBuffer buffer = FloatBuffer.wrap(new float[] { 1, 2 });
		Tensor fromBuffer = Tensor.of("x", TensorDatatype.FP32, new long[] { 2 }, buffer);
		buffer.put(0, 9);
		assertThat(fromBuffer.floats()).containsExactly(1, 2);
		assertThat(buffer.position()).isZero();
	}

	@Test
	void typedAccessorsShouldRoundTripExtremes() {
		long[] shape = { 1, 2 };
		assertThat(Tensor.ofFloats("x", shape, Float.MIN_VALUE, -Float.MAX_VALUE).floats())
			.containsExactly(Float.MIN_VALUE, -Float.MAX_VALUE);
		assertThat(Tensor.ofDoubles("x", shape, Double.MIN_VALUE, -Double.MAX_VALUE).doubles())
			.containsExactly(Double.MIN_VALUE, -Double.MAX_VALUE);
		assertThat(Tensor.ofInts("x", shape, Integer.MIN_VALUE, Integer.MAX_VALUE).ints())
			.containsExactly(Integer.MIN_VALUE, Integer.MAX_VALUE);
		assertThat(Tensor.ofLongs("x", shape, Long.MIN_VALUE, Long.MAX_VALUE).longs())
			.containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
		assertThat(Tensor.ofBooleans("x", shape, true, false).booleans()).containsExactly(true, false);
		assertThat(Tensor.of("x", TensorDatatype.INT16, shape, ShortBuffer.wrap(new short[] { -32768, 32767 }))
			.asDoubles()).containsExactly(-32768, 32767);
	}

	@Test
	void typedAccessorsShouldRejectAnotherDatatype() {
		Tensor tensor = Tensor.ofInts("x", new long[] { 1 }, 1);
		assertThatIllegalStateException().isThrownBy(tensor::floats).withMessage("Tensor 'x' holds INT32, not FP32");
		assertThatIllegalStateException().isThrownBy(tensor::booleans).withMessage("Tensor 'x' holds INT32, not BOOL");
	}

	@Test
	void dataShouldBeAReadOnlyTypedView() {
		Tensor tensor = Tensor.ofLongs("x", new long[] { 2 }, 5, 6);
		assertThat(tensor.data()).isInstanceOf(LongBuffer.class);
		assertThat(tensor.data().isReadOnly()).isTrue();
		assertThat(((LongBuffer) tensor.data()).get(1)).isEqualTo(6);
		assertThat(Tensor.ofBooleans("x", new long[] { 1 }, true).data()).isInstanceOf(ByteBuffer.class);
	}

	@Test
	void asDoublesShouldReadUint8AsUnsignedAndBoolAsZeroOrOne() {
		assertThat(Tensor.of("x", TensorDatatype.UINT8, new long[] { 3 }, ByteBuffer.wrap(new byte[] { 0, -1, -128 }))
			.asDoubles()).containsExactly(0, 255, 128);
		assertThat(Tensor.of("x", TensorDatatype.INT8, new long[] { 3 }, ByteBuffer.wrap(new byte[] { 0, -1, -128 }))
			.asDoubles()).containsExactly(0, -1, -128);
		assertThat(Tensor.of("x", TensorDatatype.BOOL, new long[] { 3 }, ByteBuffer.wrap(new byte[] { 0, 1, 2 }))
			.asDoubles()).containsExactly(0, 1, 1);
	}

	@Test
	void anEmptyTensorHasNoBytes() {
		Tensor tensor = Tensor.ofFloats("x", new long[] { 0, 3 });
		assertThat(tensor.elementCount()).isZero();
		assertThat(tensor.bytes().remaining()).isZero();
		assertThat(tensor.asDoubles()).isEmpty();
	}

	private static ByteBuffer nativeBytes(int length) {
		return ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
	}

}
