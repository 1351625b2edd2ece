package io.github.modelregistry.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.github.modelregistry.registry.WarmupRequestReader;
import io.github.modelregistry.repository.ModelSource;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Reads {@code <version>/warmup/*.json}, each a V2 inference request, in file-name order: TensorFlow Serving's
 * {@code assets.extra/tf_serving_warmup_requests}, in the format our clients already speak.
 */
public class V2WarmupRequestReader implements WarmupRequestReader {

	private final ResourcePatternResolver resolver;

	private final V2RequestDecoder decoder;

	public V2WarmupRequestReader(ResourcePatternResolver resolver, long maxElements) {
		this.resolver = resolver;
		this.decoder = new V2RequestDecoder(maxElements);
	}

	public V2WarmupRequestReader() {
		this(new PathMatchingResourcePatternResolver(), Integer.MAX_VALUE);
	}

	@Override
	public List<WarmupRequest> read(ModelSource source) throws Exception {
		String model = source.resource().getURL().toString();
		String folder = model.substring(0, model.lastIndexOf('/') + 1);
		Resource[] files = this.resolver.getResources(folder + "warmup/*.json");
		Arrays.sort(files, Comparator.comparing((file) -> String.valueOf(file.getFilename())));
		List<WarmupRequest> requests = new ArrayList<>();
		for (Resource file : files) {
			String name = "warmup/" + file.getFilename();
			try {
				requests.add(new WarmupRequest(name, this.decoder.decode(file.getContentAsByteArray()).inputs()));
			}
			catch (V2Exception ex) {
				throw new IllegalArgumentException(name + " is not a valid V2 inference request: " + ex.getMessage(), ex);
			}
		}
		return requests;
	}

}
