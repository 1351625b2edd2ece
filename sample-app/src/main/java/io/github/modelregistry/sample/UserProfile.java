package io.github.modelregistry.sample;

import java.util.Map;

/**
 * What the service knows about a diner.
 *
 * @param id the user id
 * @param cuisineAffinity how much the user likes each cuisine, 0 to 1 (missing cuisines count as 0)
 * @param budget the price level the user usually spends at, 1 (cheap) to 4 (expensive)
 * @param priceSensitivity how much price matters to the user, 0 to 1
 * @param vegetarian whether the user eats vegetarian
 * @param prefersOutdoor whether the user likes outdoor seating
 * @param averageRatingGiven the average rating the user gives, 1 to 5
 * @param daysSinceLastOrder days since the user last ordered
 * @param groupSize how many people usually dine with the user, themselves included
 * @param needsAccessibility whether the user needs step-free access
 */
public record UserProfile(String id, Map<Cuisine, Double> cuisineAffinity, int budget, double priceSensitivity,
		boolean vegetarian, boolean prefersOutdoor, double averageRatingGiven, int daysSinceLastOrder, int groupSize,
		boolean needsAccessibility) {

	public UserProfile {
		if (id == null || id.isBlank()) {
			throw new IllegalArgumentException("The user needs an 'id'");
		}
		if (cuisineAffinity == null) {
			cuisineAffinity = Map.of();
		}
		// Not containsValue(null): an immutable map throws for a null argument
		if (cuisineAffinity.values().stream().anyMatch(java.util.Objects::isNull)) {
			throw new IllegalArgumentException("Every 'cuisineAffinity' of user '" + id + "' must be a number");
		}
		cuisineAffinity = Map.copyOf(cuisineAffinity);
	}

}
