package io.github.modelregistry.tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

import ai.onnxruntime.OnnxJavaType;
import org.jspecify.annotations.Nullable;

/**
 * Tensor element types, named as the Open Inference Protocol (KServe V2) names them.
 */
public enum TensorDatatype {

	/** Booleans, one byte each (0 or 1). */
	BOOL(OnnxJavaType.BOOL, 1),

	/** Unsigned 8-bit integers. */
	UINT8(OnnxJavaType.UINT8, 1),

	/** Signed 8-bit integers. */
	INT8(OnnxJavaType.INT8, 1),

	/** Signed 16-bit integers. */
	INT16(OnnxJavaType.INT16, 2),

	/** Signed 32-bit integers. */
	INT32(OnnxJavaType.INT32, 4),

	/** Signed 64-bit integers. */
	INT64(OnnxJavaType.INT64, 8),

	/** 32-bit floating point numbers. */
	FP32(OnnxJavaType.FLOAT, 4),

	/** 64-bit floating point numbers. */
	FP64(OnnxJavaType.DOUBLE, 8);

	/** {@link #values()} clones its array on every call; this is read once per output tensor. */
	private static final TensorDatatype[] VALUES = values();

	private final OnnxJavaType onnxType;

	private final int bytes;

	TensorDatatype(OnnxJavaType onnxType, int bytes) {
		this.onnxType = onnxType;
		this.bytes = bytes;
	}

	/**
	 * Returns the size of one element in bytes.
	 */
	public int bytes() {
		return this.bytes;
	}

	public OnnxJavaType onnxType() {
		return this.onnxType;
	}

	/**
	 * Returns the datatype of an ONNX Runtime element type, or {@code null} if it is not supported.
	 */
	public static @Nullable TensorDatatype of(OnnxJavaType onnxType) {
		for (TensorDatatype datatype : VALUES) {
			if (datatype.onnxType == onnxType) {
				return datatype;
			}
		}
		return null;
	}

	/**
	 * Returns the datatype with the given V2 name.
	 * @param name a name such as {@code FP32}
	 * @return the datatype
	 * @throws IllegalArgumentException naming the supported datatypes, if none has that name
	 */
	public static TensorDatatype fromName(String name) {
		for (TensorDatatype datatype : values()) {
			if (datatype.name().equals(name)) {
				return datatype;
			}
		}
		throw new IllegalArgumentException("Unsupported datatype '" + name + "'; supported datatypes are "
				+ Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
	}

}
