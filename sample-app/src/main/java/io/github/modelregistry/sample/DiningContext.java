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
		pastVisits = java.util.Map.copyOf(pastVisits);
	}

	public int visits(String restaurantId) {
		return this.pastVisits.getOrDefault(restaurantId, 0);
	}

}
