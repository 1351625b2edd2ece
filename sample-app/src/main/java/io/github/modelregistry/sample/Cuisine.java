package io.github.modelregistry.sample;

/**
 * The cuisines the recommendation model knows.
 */
public enum Cuisine {

	ITALIAN, JAPANESE, MEXICAN, INDIAN, CHINESE, FRENCH, THAI, AMERICAN

}
