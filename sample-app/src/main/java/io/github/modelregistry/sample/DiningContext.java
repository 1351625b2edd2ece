package io.github.modelregistry.sample;

/**
 * When the recommendation is asked for, and the user's history with each restaurant.
 *
 * @param hourOfDay 0 to 23
 * @param weekend whether it is a Saturday or Sunday
 * @param pastVisits the user's past visits, by restaurant id
 */
public record DiningContext(int hourOfDay, boolean weekend, java.util.Map<String, Integer> pastVisits) {

	public DiningContext {
		if (hourOfDay < 0 || hourOfDay > 23) {
			throw new IllegalArgumentException("'hourOfDay' must be 0 to 23, not " + hourOfDay);
		}
		if (pastVisits == null) {
			pastVisits = java.util.Map.of();
		}
		// Not containsKey(null): an immutable map throws for a null argument
		if (pastVisits.entrySet().stream().anyMatch((visit) -> visit.getKey() == null || visit.getValue() == null)) {
			throw new IllegalArgumentException("Every 'pastVisits' entry must map a restaurant id to a number");
		}
		pastVisits = java.util.Map.copyOf(pastVisits);
	}

	public int visits(String restaurantId) {
		return this.pastVisits.getOrDefault(restaurantId, 0);
	}

}
