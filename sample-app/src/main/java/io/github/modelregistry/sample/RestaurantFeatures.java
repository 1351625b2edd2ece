package io.github.modelregistry.sample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a (user, restaurant) pair into the 40 features the ranking model scores. The training code uses the same
 * encoding, so serving and training cannot drift apart.
 */
public final class RestaurantFeatures {

	/** The number of features per pair. */
	public static final int COUNT = 40;

	/** The feature names, in order. */
	public static final List<String> NAMES;

	static {
		List<String> names = new ArrayList<>();
		for (Cuisine cuisine : Cuisine.values()) {
			names.add("user_affinity_" + cuisine.name().toLowerCase());
		}
		for (Cuisine cuisine : Cuisine.values()) {
			names.add("restaurant_is_" + cuisine.name().toLowerCase());
		}
		names.addAll(List.of("price_level", "user_budget", "distance", "rating", "review_count_log", "open_now",
				"delivery_time", "past_visits_log", "hour_sin", "hour_cos", "weekend", "user_vegetarian",
				"vegetarian_options", "outdoor_seating", "user_prefers_outdoor", "popularity_trend",
				"user_average_rating", "days_since_last_order", "promo_active", "price_sensitivity", "wait_time",
				"accessibility_match", "noise_level", "group_size"));
		NAMES = Collections.unmodifiableList(names);
		if (NAMES.size() != COUNT) {
			throw new IllegalStateException("Expected " + COUNT + " feature names, have " + NAMES.size());
		}
	}

	private RestaurantFeatures() {
	}

	/**
	 * Writes the features of one pair into {@code row} from {@code offset}; every feature is scaled to about [0, 1]
	 * or [-1, 1].
	 */
	public static void encode(UserProfile user, Restaurant restaurant, DiningContext context, float[] row,
			int offset) {
		int i = offset;
		for (Cuisine cuisine : Cuisine.values()) {
			row[i++] = user.cuisineAffinity().getOrDefault(cuisine, 0.0).floatValue();
		}
		for (Cuisine cuisine : Cuisine.values()) {
			row[i++] = (restaurant.cuisine() == cuisine) ? 1f : 0f;
		}
		row[i++] = restaurant.priceLevel() / 4f;
		row[i++] = user.budget() / 4f;
		row[i++] = (float) Math.min(restaurant.distanceKm(), 20) / 20f;
		row[i++] = (float) restaurant.rating() / 5f;
		row[i++] = (float) Math.log1p(restaurant.reviewCount()) / 10f;
		row[i++] = restaurant.openNow() ? 1f : 0f;
		row[i++] = Math.min(restaurant.deliveryMinutes(), 90) / 90f;
		row[i++] = (float) Math.log1p(context.visits(restaurant.id())) / 3f;
		double angle = 2 * Math.PI * context.hourOfDay() / 24.0;
		row[i++] = (float) Math.sin(angle);
		row[i++] = (float) Math.cos(angle);
		row[i++] = context.weekend() ? 1f : 0f;
		row[i++] = user.vegetarian() ? 1f : 0f;
		row[i++] = restaurant.vegetarianOptions() ? 1f : 0f;
		row[i++] = restaurant.outdoorSeating() ? 1f : 0f;
		row[i++] = user.prefersOutdoor() ? 1f : 0f;
		row[i++] = (float) restaurant.popularityTrend();
		row[i++] = (float) user.averageRatingGiven() / 5f;
		row[i++] = Math.min(user.daysSinceLastOrder(), 60) / 60f;
		row[i++] = restaurant.promoActive() ? 1f : 0f;
		row[i++] = (float) user.priceSensitivity();
		row[i++] = Math.min(restaurant.waitMinutes(), 90) / 90f;
		row[i++] = (!user.needsAccessibility() || restaurant.accessible()) ? 1f : 0f;
		row[i++] = (float) restaurant.noiseLevel();
		row[i] = Math.min(user.groupSize(), 12) / 12f;
	}

}
