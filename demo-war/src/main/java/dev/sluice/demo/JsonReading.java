package dev.sluice.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * The JSON mapper of the shop's API, for Jersey's Jackson module. It reads strictly: an object that
 * names a field twice is refused (Jackson would keep the last, and a proxy or firewall in front may
 * have checked the first), so is anything after the object, and numbers and nesting are bounded far
 * below Jackson's defaults, since an order holds one flat object with a price of at most 13
 * characters. What it refuses is answered by {@link MalformedJson}. Thread-safe.
 */
@Provider
public final class JsonReading implements ContextResolver<ObjectMapper> {

    /** The longest number read, in characters. */
    static final int MAX_NUMBER_LENGTH = 100;
    /** The deepest nesting of arrays and objects read. */
    static final int MAX_NESTING_DEPTH = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Created by the JAX-RS runtime. */
    public JsonReading() {
        // the mapper is shared
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return MAPPER;
    }
}
