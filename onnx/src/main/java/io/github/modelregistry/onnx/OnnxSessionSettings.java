package io.github.modelregistry.onnx;

/**
 * How ONNX Runtime sessions are created.
 *
 * @param intraOpThreads threads one operator may use; 1 keeps a request on one core, so that concurrency comes from
 * serving requests in parallel (ONNX Runtime's own default is one thread per physical core, pinned, which competes
 * with request threads)
 * @param interOpThreads threads for running independent operators in parallel
 * @param optimizationLevel graph optimisation applied when loading
 */
public record OnnxSessionSettings(int intraOpThreads, int interOpThreads, OptimizationLevel optimizationLevel) {

	/**
	 * One intra-op and one inter-op thread, all graph optimisations.
	 */
	public static final OnnxSessionSettings DEFAULT = new OnnxSessionSettings(1, 1, OptimizationLevel.ALL);

	public OnnxSessionSettings {
		if (intraOpThreads < 0 || interOpThreads < 0) {
			throw new IllegalArgumentException("Thread counts must be 0 (ONNX Runtime's default) or more");
		}
	}

}
