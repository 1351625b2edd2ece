package io.github.modelregistry.baseline;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One ONNX Runtime session and the naive way to call it: the request's nested JSON array bound by Jackson into a
 * {@code float[][]}, copied into a tensor by ONNX Runtime's reflective {@code createTensor(env, Object)}, the outputs
 * copied back into {@code float[]}s. The session has the starter's default options (one intra-op thread, spinning
 * off, all graph optimisations), so that the comparison measures the serving path around the run, not the run.
 */
final class NaiveModel implements AutoCloseable {

	private final OrtEnvironment environment = OrtEnvironment.getEnvironment();

	private final OrtSession session;

	NaiveModel(byte[] model) {
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setIntraOpNumThreads(1);
			options.setInterOpNumThreads(1);
			options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
			options.addConfigEntry("session.intra_op.allow_spinning", "0");
			this.session = this.environment.createSession(model, options);
		}
		catch (OrtException ex) {
			throw new IllegalStateException("The baseline's model cannot be loaded: " + ex.getMessage(), ex);
		}
	}

	InferResponse infer(InferRequest request) {
		Input input = request.inputs().get(0);
		try (OnnxTensor tensor = OnnxTensor.createTensor(this.environment, input.data());
				OrtSession.Result result = this.session.run(Map.of(input.name(), tensor))) {
			return response(result);
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Inference failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The lean variant: flat row-major data (V2 JSON allows it) wrapped as it is ({@code FloatBuffer.wrap}), no
	 * nested arrays and no reflective copy.
	 */
	InferResponse infer(FlatInferRequest request) {
		FlatInput input = request.inputs().get(0);
		try (OnnxTensor tensor = OnnxTensor.createTensor(this.environment, FloatBuffer.wrap(input.data()), input.shape());
				OrtSession.Result result = this.session.run(Map.of(input.name(), tensor))) {
			return response(result);
		}
		catch (OrtException ex) {
			throw new IllegalStateException("Inference failed: " + ex.getMessage(), ex);
		}
	}

	private static InferResponse response(OrtSession.Result result) throws OrtException {
		List<Output> outputs = new ArrayList<>();
		for (Map.Entry<String, OnnxValue> entry : result) {
			OnnxTensor output = (OnnxTensor) entry.getValue();
			FloatBuffer buffer = output.getFloatBuffer();
			float[] data = new float[buffer.remaining()];
			buffer.get(data);
			outputs.add(new Output(entry.getKey(), ((TensorInfo) output.getInfo()).getShape(), "FP32", data));
		}
		return new InferResponse("restaurant-ranker", outputs);
	}

	@Override
	public void close() throws OrtException {
		this.session.close();
	}

	record InferRequest(List<Input> inputs) {
	}

	record Input(String name, long[] shape, String datatype, float[][] data) {
	}

	record FlatInferRequest(List<FlatInput> inputs) {
	}

	record FlatInput(String name, long[] shape, String datatype, float[] data) {
	}

	record InferResponse(@JsonProperty("model_name") String modelName, List<Output> outputs) {
	}

	record Output(String name, long[] shape, String datatype, float[] data) {
	}

}
