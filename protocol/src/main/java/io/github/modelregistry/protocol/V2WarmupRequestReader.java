package io.github.modelregistry.protocol;

import java.util.ArrayList;
import java.util.List;

import io.github.modelregistry.registry.WarmupRequestReader;
import io.github.modelregistry.repository.ModelSource;

/**
 * Reads {@code <version>/warmup/*.json}, each a V2 inference request, in file-name order: TensorFlow Serving's
 * {@code assets.extra/tf_serving_warmup_requests}, in the format our clients already speak. It reads the files
 * through the version's {@link ModelSource}, so warm-up requests work wherever the repository keeps its versions.
 */
public class V2WarmupRequestReader implements WarmupRequestReader {

	private final V2RequestDecoder decoder;

	/**
	 * @param maxElements the most tensor elements a warm-up request may hold
	 */
	public V2WarmupRequestReader(long maxElements) {
		this.decoder = new V2RequestDecoder(maxElements);
	}

	public V2WarmupRequestReader() {
		this(Integer.MAX_VALUE);
	}

	@Override
	public List<WarmupRequest> read(ModelSource source) throws Exception {
		List<WarmupRequest> requests = new ArrayList<>();
		for (ModelSource.Content file : source.filesIn("warmup")) {
			if (!file.name().endsWith(".json")) {
				continue;
			}
			String name = "warmup/" + file.name();
			try {
				requests.add(new WarmupRequest(name, this.decoder.decode(file.bytes()).inputs()));
			}
			catch (V2Exception ex) {
				throw new IllegalArgumentException(name + " is not a valid V2 inference request: " + ex.getMessage(), ex);
			}
		}
		return requests;
	}

}
