package io.github.modelregistry.sample.generator;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.github.modelregistry.sample.Cuisine;
import io.github.modelregistry.sample.DiningContext;
import io.github.modelregistry.sample.Restaurant;
import io.github.modelregistry.sample.RestaurantFeatures;
import io.github.modelregistry.sample.UserProfile;

/**
 * A synthetic but plausible world of diners and restaurants, and a hidden rule for whether a diner likes a
 * restaurant. The rule is what the model has to learn; it lives only here.
 */
final class SyntheticDiners {

	private static final Cuisine[] CUISINES = Cuisine.values();

	private final SplittableRandom random;

	SyntheticDiners(long seed) {
		this.random = new SplittableRandom(seed);
	}

	/**
	 * Draws {@code count} (user, restaurant, context) pairs, writes their features into {@code features} and their
	 * labels (1 if the user liked the restaurant) into {@code labels}.
	 */
	void draw(int count, float[] features, float[] labels) {
		for (int i = 0; i < count; i++) {
			UserProfile user = user(i);
			Restaurant restaurant = restaurant(i);
			DiningContext context = context(restaurant);
			RestaurantFeatures.encode(user, restaurant, context, features, i * RestaurantFeatures.COUNT);
			double p = 1 / (1 + Math.exp(-preference(user, restaurant, context)));
			labels[i] = (this.random.nextDouble() < p) ? 1f : 0f;
		}
	}

	UserProfile user(int i) {
		Map<Cuisine, Double> affinity = new EnumMap<>(Cuisine.class);
		// Most people love one or two cuisines and are lukewarm about the rest
		Cuisine favourite = CUISINES[this.random.nextInt(CUISINES.length)];
		for (Cuisine cuisine : CUISINES) {
			affinity.put(cuisine, clamp(0.35 + 0.2 * gaussian(), 0, 1));
		}
		affinity.put(favourite, clamp(0.85 + 0.1 * gaussian(), 0, 1));
		if (this.random.nextDouble() < 0.5) {
			affinity.put(CUISINES[this.random.nextInt(CUISINES.length)], clamp(0.7 + 0.1 * gaussian(), 0, 1));
		}
		return new UserProfile("user-" + i, affinity, 1 + this.random.nextInt(4), this.random.nextDouble(),
				this.random.nextDouble() < 0.15, this.random.nextDouble() < 0.4, clamp(3.8 + 0.5 * gaussian(), 1, 5),
				this.random.nextInt(45), 1 + (int) Math.min(11, Math.abs(2 * gaussian())),
				this.random.nextDouble() < 0.08);
	}

	Restaurant restaurant(int i) {
		Cuisine cuisine = CUISINES[this.random.nextInt(CUISINES.length)];
		int price = 1 + this.random.nextInt(4);
		double rating = clamp(3.9 + 0.5 * gaussian() + 0.1 * price, 1, 5);
		int reviews = (int) Math.exp(3 + 2 * this.random.nextDouble() + rating / 2);
		return new Restaurant("restaurant-" + i, cuisine.name().charAt(0) + cuisine.name().substring(1).toLowerCase()
				+ " place " + i, cuisine, price, -Math.log(1 - this.random.nextDouble()) * 4, rating, reviews,
				this.random.nextDouble() < 0.8, 15 + this.random.nextInt(60), this.random.nextDouble() < 0.6,
				this.random.nextDouble() < 0.35, clamp(0.3 * gaussian(), -1, 1), this.random.nextDouble() < 0.2,
				this.random.nextInt(40), this.random.nextDouble() < 0.7, this.random.nextDouble());
	}

	DiningContext context(Restaurant restaurant) {
		int visits = (this.random.nextDouble() < 0.25) ? 1 + this.random.nextInt(12) : 0;
		return new DiningContext(this.random.nextInt(24), this.random.nextDouble() < 2.0 / 7,
				Map.of(restaurant.id(), visits));
	}

	/**
	 * The hidden rule: the log-odds that the user likes the restaurant, with noise.
	 */
	double preference(UserProfile user, Restaurant restaurant, DiningContext context) {
		double affinity = user.cuisineAffinity().getOrDefault(restaurant.cuisine(), 0.0);
		double logit = -0.6;
		logit += 4.0 * (affinity - 0.5);
		logit -= 1.1 * Math.abs(restaurant.priceLevel() - user.budget()) * (0.4 + user.priceSensitivity());
		logit -= 2.0 * Math.min(restaurant.distanceKm(), 20) / 10;
		logit += 1.5 * (restaurant.rating() - 3.8);
		logit += 0.15 * (Math.log1p(restaurant.reviewCount()) - 6);
		logit += restaurant.openNow() ? 0.5 : -2.5;
		logit -= 0.8 * restaurant.deliveryMinutes() / 60.0;
		logit += 0.9 * Math.log1p(context.visits(restaurant.id()));
		if (user.vegetarian() && !restaurant.vegetarianOptions()) {
			logit -= 3.0;
		}
		if (user.prefersOutdoor() && restaurant.outdoorSeating()) {
			logit += context.weekend() ? 1.0 : 0.5;
		}
		logit += 0.8 * restaurant.popularityTrend();
		if (restaurant.promoActive()) {
			logit += 1.2 * user.priceSensitivity();
		}
		logit -= (user.groupSize() > 4 ? 1.6 : 0.6) * restaurant.waitMinutes() / 40.0;
		if (user.needsAccessibility() && !restaurant.accessible()) {
			logit -= 3.5;
		}
		// Loud places are fine late in the evening, not at lunch
		boolean evening = context.hourOfDay() >= 19 || context.hourOfDay() < 2;
		logit -= (evening ? -0.3 : 0.7) * restaurant.noiseLevel();
		return logit + 0.6 * gaussian();
	}

	private double gaussian() {
		// Box-Muller: SplittableRandom has no nextGaussian on Java 17
		double u = 1 - this.random.nextDouble();
		double v = this.random.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	private static double clamp(double value, double min, double max) {
		return Math.max(min, Math.min(max, value));
	}

}
