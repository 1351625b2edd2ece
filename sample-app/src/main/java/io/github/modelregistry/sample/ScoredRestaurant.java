package io.github.modelregistry.sample;

/**
 * A restaurant with the model's estimate that the user will like it.
 *
 * @param restaurant the restaurant
 * @param score probability-like score in [0, 1]
 */
public record ScoredRestaurant(Restaurant restaurant, float score) {

}
