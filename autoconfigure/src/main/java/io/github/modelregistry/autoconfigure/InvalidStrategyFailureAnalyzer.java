package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.holder.HolderStrategy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a {@code model-registry.strategy} (or {@code model-registry.models.<name>.strategy}) that names no
 * strategy, listing the valid ones as users write them. Runs before Spring Boot's generic bind failure analysis,
 * which would list the enum constants instead.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvalidStrategyFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		Class<?> target = cause.getTarget().getType().resolve();
		if (target != HolderStrategy.class) {
			return null;
		}
		ConfigurationProperty property = cause.getProperty();
		Object value = (property != null) ? property.getValue() : null;
		Origin origin = (property != null) ? property.getOrigin() : null;
		String name = cause.getName().toString();
		String description = "Invalid model holder strategy '" + value + "' for property '" + name + "'"
				+ ((origin != null) ? " (from " + origin + ")" : "") + ".";
		String action = "Set '" + name + "' to one of: " + HolderStrategy.validValues()
				+ ". 'sharded-rcu' is the default and the fastest strategy that can reload models.";
		return new FailureAnalysis(description, action, cause);
	}

}
