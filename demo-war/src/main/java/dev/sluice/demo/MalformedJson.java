package dev.sluice.demo;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Problem bodies for JSON that cannot become an order, in place of the plain-text answers of
 * Jersey's Jackson module: 400 for text that is not JSON, 422 for JSON of the wrong shape (a price
 * that is not a number, an unknown field). Each mapper names the exception type that Jersey's does,
 * and a higher priority (a lower value), which JAX-RS uses to choose between equally close mappers.
 */
final class MalformedJson {

    private MalformedJson() {
    }

    /** Ahead of the default priority of Jersey's Jackson mappers, {@link Priorities#USER}. */
    private static final int PRIORITY = Priorities.USER - 100;

    /** Text that is not JSON: 400. */
    @Provider
    @Priority(PRIORITY)
    public static final class NotJson implements ExceptionMapper<JsonParseException> {

        /** Created by the JAX-RS runtime. */
        public NotJson() {
            // stateless
        }

        @Override
        public Response toResponse(JsonParseException exception) {
            return Problems.of(Response.Status.BAD_REQUEST, "The body is not valid JSON: " + exception.getOriginalMessage());
        }
    }

    /** JSON that does not fit the expected object: 422, naming the field. */
    @Provider
    @Priority(PRIORITY)
    public static final class WrongShape implements ExceptionMapper<JsonMappingException> {

        /** Created by the JAX-RS runtime. */
        public WrongShape() {
            // stateless
        }

        @Override
        public Response toResponse(JsonMappingException exception) {
            String field = exception.getPath().stream().map(reference -> reference.getFieldName() != null
                    ? reference.getFieldName() : "[" + reference.getIndex() + "]").collect(Collectors.joining("."));
            String message = exception instanceof UnrecognizedPropertyException ? "unknown field" : "has the wrong type";
            return Problems.invalid("The body does not describe the expected object.",
                    List.of(new Problems.Violation(field.isEmpty() ? "body" : field, message)));
        }
    }
}
