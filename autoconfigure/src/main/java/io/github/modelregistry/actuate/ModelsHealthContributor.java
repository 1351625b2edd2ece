package io.github.modelregistry.actuate;

import java.util.stream.Stream;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelStatus;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * One health component per model, under {@code models}.
 * <p>
 * A model that must be available (eager, background or {@code static}) is {@code UP} when it can serve and
 * {@code DOWN} otherwise, so that a readiness group including {@code models} keeps traffic away until it is
 * loaded. A lazy model is {@code UP} once loaded and {@code UNKNOWN} before: it loads on first use, so it does not
 * hold readiness back. Details: version, strategy, load mode, state, and the last error if any.
 */
public final class ModelsHealthContributor {

	private ModelsHealthContributor() {
	}

	/**
	 * Creates the composite contributor for every model of the registry, read from the registry on each call, so
	 * that models registered and unregistered at run time come and go with it.
	 */
	public static CompositeHealthContributor of(ModelRegistry registry) {
		return new CompositeHealthContributor() {

			@Override
			public @Nullable HealthContributor getContributor(String name) {
				return registry.contains(name) ? indicator(registry, name) : null;
			}

			@Override
			public Stream<Entry> stream() {
				return registry.names().stream().map((model) -> new Entry(model, indicator(registry, model)));
			}

		};
	}

	private static HealthIndicator indicator(ModelRegistry registry, String model) {
		return () -> registry.contains(model) ? health(registry, model) : Health.unknown().build();
	}

	static Health health(ModelRegistry registry, String model) {
		ModelStatus status = registry.status(model);
		boolean available = registry.available(model);
		Status health = available ? Status.UP : registry.requiredForReadiness(model) ? Status.DOWN : Status.UNKNOWN;
		Health.Builder builder = Health.status(health)
			.withDetail("strategy", status.strategy())
			.withDetail("load", status.load().name().toLowerCase(java.util.Locale.ROOT))
			.withDetail("state", status.state().name());
		if (status.version() != null) {
			builder.withDetail("version", status.version());
		}
		if (status.lastError() != null) {
			builder.withDetail("lastError", status.lastError());
		}
		return builder.build();
	}

}
