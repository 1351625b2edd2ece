package io.github.modelregistry.test;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application the slice tests find, as a user's own: its component scan covers {@link ScannedComponents}.
 */
@SpringBootApplication
class SliceApplication {

}
