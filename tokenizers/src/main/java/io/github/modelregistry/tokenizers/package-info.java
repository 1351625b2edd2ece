/**
 * Text tokenization as a pipeline stage: Hugging Face's tokenizers (the Rust library, through DJL's Java binding,
 * whose native library ships in its jar) turning {@code BYTES} text into the token ids, attention mask and token
 * types a transformer's runtime takes. No Spring.
 */
@NullMarked
package io.github.modelregistry.tokenizers;

import org.jspecify.annotations.NullMarked;
