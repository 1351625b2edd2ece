package io.github.modelregistry.sample;

/**
 * A restaurant that can be recommended.
 *
 * @param id the restaurant id
 * @param name its name
 * @param cuisine its cuisine
 * @param priceLevel 1 (cheap) to 4 (expensive)
 * @param distanceKm distance from the user
 * @param rating average rating, 1 to 5
 * @param reviewCount number of reviews
 * @param openNow whether it is open now
 * @param deliveryMinutes expected delivery time
 * @param vegetarianOptions whether it serves vegetarian dishes
 * @param outdoorSeating whether it has outdoor seating
 * @param popularityTrend change in bookings over the last weeks, -1 to 1
 * @param promoActive whether a promotion runs
 * @param waitMinutes expected wait for a table
 * @param accessible whether it has step-free access
 * @param noiseLevel 0 (quiet) to 1 (loud)
 */
public record Restaurant(String id, String name, Cuisine cuisine, int priceLevel, double distanceKm, double rating,
		int reviewCount, boolean openNow, int deliveryMinutes, boolean vegetarianOptions, boolean outdoorSeating,
		double popularityTrend, boolean promoActive, int waitMinutes, boolean accessible, double noiseLevel) {

	public Restaurant {
		// Refused here, by name, rather than as a NullPointerException while the features are computed
		if (id == null || id.isBlank()) {
			throw new IllegalArgumentException("Every candidate needs an 'id'");
		}
		if (cuisine == null) {
			throw new IllegalArgumentException("Candidate '" + id + "' needs a 'cuisine', one of "
					+ java.util.Arrays.toString(Cuisine.values()));
		}
		name = (name != null) ? name : id;
	}

}
