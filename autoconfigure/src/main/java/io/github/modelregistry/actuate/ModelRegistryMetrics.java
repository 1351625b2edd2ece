package io.github.modelregistry.actuate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryObserver;
import io.github.modelregistry.registry.ReloadResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics of the models, so that a dashboard shows where time goes:
 * <ul>
 * <li>{@code model.inference} timer: tags {@code model}, {@code version}, {@code strategy}, {@code outcome};</li>
 * <li>{@code model.holder.wait} timer: time from asking the holder for the model to running with it (lock waits
 * for {@code rwlock} and {@code mutex}, lazy loads for all), tags {@code model}, {@code strategy};</li>
 * <li>{@code model.reload} timer: tags {@code model}, {@code outcome};</li>
 * <li>{@code model.reads.active} gauge: reads inside the holder now, tags {@code model}, {@code strategy};</li>
 * <li>{@code model.version} gauge: the version serving unversioned requests, tag {@code model} (NaN when none
 * is);</li>
 * <li>{@code model.lifecycle} counter: versions loaded, published, retired and failed, tags {@code model},
 * {@code event}.</li>
 * </ul>
 * Timers are looked up once per tag combination and cached, so recording costs a map lookup and the timer's own
 * update.
 */
public final class ModelRegistryMetrics implements MeterBinder, ModelRegistryObserver {

	private final ModelRegistry registry;

	private volatile @Nullable MeterRegistry meters;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	public ModelRegistryMetrics(ModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		this.meters = meters;
		for (String model : this.registry.names()) {
			Gauge.builder("model.reads.active", this.registry, (registry) -> registry.inFlightReads(model))
				.description("Reads inside the model's holder now")
				.tags("model", model, "strategy", this.registry.strategy(model))
				.register(meters);
			// From memory: status() would list the model's location (a folder or a jar) on every scrape
			Gauge.builder("model.version", this.registry, (registry) -> version(registry.servedVersions(model)))
				.description("The model version serving")
				.tags("model", model)
				.register(meters);
		}
		this.registry.addObserver(this);
	}

	/**
	 * The version unversioned requests get: the highest served, NaN when none is.
	 */
	private static double version(List<Long> served) {
		return served.isEmpty() ? Double.NaN : served.get(served.size() - 1);
	}

	@Override
	public void inferred(String model, String strategy, @Nullable Long version, long waitNanos,
			long totalNanos, InferenceOutcome outcome) {
		MeterRegistry meters = this.meters;
		if (meters == null) {
			return;
		}
		String versionTag = (version != null) ? version.toString() : "none";
		this.timers.computeIfAbsent("inference|" + model + "|" + versionTag + "|" + outcome,
				(key) -> Timer.builder("model.inference")
					.description("Inferences, from asking for the model to having the outputs")
					.tags("model", model, "version", versionTag, "strategy", strategy, "outcome",
							outcome.tag())
					.register(meters))
			.record(totalNanos, TimeUnit.NANOSECONDS);
		this.timers.computeIfAbsent("wait|" + model,
				(key) -> Timer.builder("model.holder.wait")
					.description("Time inferences wait on the model's holder before they run")
					.tags("model", model, "strategy", this.registry.strategy(model))
					.register(meters))
			.record(waitNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void versionEvent(String model, long version, VersionEvent event) {
		MeterRegistry meters = this.meters;
		if (meters != null) {
			meters.counter("model.lifecycle", "model", model, "event", event.tag()).increment();
		}
	}

	@Override
	public void reloaded(ReloadResult result) {
		MeterRegistry meters = this.meters;
		if (meters == null) {
			return;
		}
		String outcome = result.outcome().name().toLowerCase(java.util.Locale.ROOT);
		this.timers.computeIfAbsent("reload|" + result.model() + "|" + outcome,
				(key) -> Timer.builder("model.reload")
					.description("Model reloads, loading included")
					.tags("model", result.model(), "outcome", outcome)
					.register(meters))
			.record(result.took());
	}

}
