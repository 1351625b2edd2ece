package io.github.modelregistry.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fixed diner and ten candidate restaurants, for tests.
 */
final class Diners {

	private Diners() {
	}

	static UserProfile vegetarianWhoLovesIndian() {
		return new UserProfile("alice", Map.of(Cuisine.INDIAN, 0.95, Cuisine.THAI, 0.7, Cuisine.AMERICAN, 0.2), 2, 0.6,
				true, false, 4.1, 3, 2, false);
	}

	static List<Restaurant> tenCandidates() {
		List<Restaurant> candidates = new ArrayList<>();
		Cuisine[] cuisines = Cuisine.values();
		for (int i = 0; i < 10; i++) {
			Cuisine cuisine = cuisines[i % cuisines.length];
			candidates.add(new Restaurant("r" + i, cuisine + " " + i, cuisine, 1 + i % 4, 0.5 + i * 1.5, 3.5 + (i % 3) * 0.5,
					50 + 40 * i, i != 7, 20 + 5 * i, cuisine == Cuisine.INDIAN || i % 2 == 0, i % 3 == 0, 0.1 * (i - 5),
					i == 4, 5 * i, true, 0.1 * i));
		}
		return candidates;
	}

	static DiningContext dinner() {
		return new DiningContext(20, false, Map.of("r3", 4));
	}

}
