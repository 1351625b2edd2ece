package io.github.modelregistry.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.Predictor;
import io.github.modelregistry.registry.Translator;
import io.github.modelregistry.tensor.Tensor;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

/**
 * Finds the restaurants of the catalogue whose descriptions are closest in meaning to a free-text query, with the
 * {@value #MODEL} model: a text pipeline (tokenizer, all-MiniLM-L6-v2, mean pooling) served by the registry, batched
 * with every other caller's texts and reloadable like the ranker.
 * <p>
 * Vectors of two versions of a model are not comparable, so the catalogue's vectors are kept with the version that
 * computed them: a query answered by another version (after a reload) embeds the catalogue again with that version
 * before it is compared, and the answer names the version. Cost per query: one embedding and a dot product per
 * restaurant (the vectors have length 1, so the dot product is the cosine).
 */
@Service
public class RestaurantSearch {

	/** The name the embedding model is registered under. */
	public static final String MODEL = "restaurant-embeddings";

	private final Predictor<List<String>, Embeddings> embeddings;

	private final List<Entry> catalogue;

	private volatile Embeddings descriptions = new Embeddings(0, new float[0][]);

	public RestaurantSearch(ModelRegistry registry) {
		this.embeddings = registry.predictor(MODEL, new TextTranslator());
		this.catalogue = catalogue();
	}

	private static List<Entry> catalogue() {
		try (InputStream json = RestaurantSearch.class.getResourceAsStream("/catalogue/restaurants.json")) {
			if (json == null) {
				throw new IllegalStateException("catalogue/restaurants.json is missing from the class path");
			}
			return JsonMapper.builder().build().readValue(json, new TypeReference<List<Entry>>() {
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The closest restaurants to a query, best first.
	 * @param query free text
	 * @param limit how many to return
	 */
	public CompletableFuture<Results> search(String query, int limit) {
		return this.embeddings.predictAsync(List.of(query))
			.thenCompose((embedded) -> descriptions(embedded.version())
				.thenApply((catalogue) -> rank(embedded, catalogue, limit)));
	}

	/**
	 * The catalogue's vectors of that version: those kept, or computed again (several queries may do so at once
	 * after a reload; the last one kept wins, and each is of the version it says).
	 */
	private CompletableFuture<Embeddings> descriptions(long version) {
		Embeddings kept = this.descriptions;
		if (kept.version() == version) {
			return CompletableFuture.completedFuture(kept);
		}
		List<String> texts = this.catalogue.stream().map(Entry::description).toList();
		return this.embeddings.predictAsync(texts).thenApply((computed) -> {
			this.descriptions = computed;
			return computed;
		});
	}

	private Results rank(Embeddings query, Embeddings catalogue, int limit) {
		if (catalogue.version() != query.version()) {
			// A reload between the two calls: computed by different versions, not comparable. Rare; the client retries
			throw new IllegalStateException("The model changed version during the search; search again");
		}
		float[] q = query.vectors()[0];
		List<Result> results = new ArrayList<>(this.catalogue.size());
		for (int i = 0; i < this.catalogue.size(); i++) {
			float[] d = catalogue.vectors()[i];
			double dot = 0;
			for (int k = 0; k < q.length; k++) {
				dot += q[k] * d[k];
			}
			Entry entry = this.catalogue.get(i);
			results.add(new Result(entry.id(), entry.name(), entry.cuisine(), (float) dot));
		}
		results.sort(Comparator.comparingDouble(Result::score).reversed());
		return new Results(query.version(), results.subList(0, Math.min(limit, results.size())));
	}

	/**
	 * A restaurant of the catalogue and the text it is found by.
	 */
	public record Entry(String id, String name, Cuisine cuisine, String description) {
	}

	/**
	 * One restaurant found, with the cosine similarity of its description to the query.
	 */
	public record Result(String id, String name, Cuisine cuisine, float score) {
	}

	/**
	 * The restaurants found, best first, and the model version that compared them.
	 */
	public record Results(long modelVersion, List<Result> restaurants) {
	}

	/**
	 * Texts and their vectors, of one model version.
	 */
	record Embeddings(long version, float[][] vectors) {
	}

	/** Strings in as one BYTES tensor, vectors out as rows */
	private static final class TextTranslator implements Translator<List<String>, Embeddings> {

		@Override
		public List<Tensor> inputs(List<String> texts) {
			return List.of(Tensor.of("text", texts.toArray(String[]::new)));
		}

		@Override
		public Embeddings output(List<String> texts, InferenceResult result) {
			return new Embeddings(result.version(), result.outputs().get(0).floatRows());
		}

	}

}
