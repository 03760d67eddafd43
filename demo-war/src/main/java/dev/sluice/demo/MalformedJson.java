package dev.sluice.demo;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Problem bodies for JSON that cannot become an order, in place of the plain-text answers of
 * Jersey's Jackson module (and of the container's 500 page for the exceptions it does not map): 400
 * for text that is not JSON or goes beyond the limits of {@link JsonReading}, 422 for JSON of the
 * wrong shape (a price that is not a number, an unknown field). No answer quotes the parser's
 * message, which holds parts of the body and of the parser's state; a position in the body is given
 * as line and column. Each mapper names the exception type that Jersey's does, and a higher priority
 * (a lower value), which JAX-RS uses to choose between equally close mappers.
 */
final class MalformedJson {

    private MalformedJson() {
    }

    /** Ahead of the default priority of Jersey's Jackson mappers, {@link Priorities#USER}. */
    private static final int PRIORITY = Priorities.USER - 100;

    /** The longest field name quoted back in a violation: the rest of a longer one is cut. */
    private static final int FIELD_NAME_SHOWN = 64;

    /** Text that is not JSON, or an object that names a field twice: 400. */
    @Provider
    @Priority(PRIORITY)
    public static final class NotJson implements ExceptionMapper<JsonParseException> {

        /** Created by the JAX-RS runtime. */
        public NotJson() {
            // stateless
        }

        @Override
        public Response toResponse(JsonParseException exception) {
            return unreadable(exception);
        }
    }

    /**
     * Any other failure to read JSON, above all a limit of {@link JsonReading} (a number too long,
     * nesting too deep), which Jackson reports as neither a parse nor a mapping exception: 400.
     */
    @Provider
    @Priority(PRIORITY)
    public static final class Unreadable implements ExceptionMapper<JsonProcessingException> {

        /** Created by the JAX-RS runtime. */
        public Unreadable() {
            // stateless
        }

        @Override
        public Response toResponse(JsonProcessingException exception) {
            return unreadable(exception);
        }
    }

    /**
     * JSON that does not fit the expected object: 422, naming the field. Jackson also reports a
     * failure to read a field's value (invalid UTF-8 in a string) as a mapping exception, caused by
     * the reading one: that is answered as unreadable.
     */
    @Provider
    @Priority(PRIORITY)
    public static final class WrongShape implements ExceptionMapper<JsonMappingException> {

        /** Created by the JAX-RS runtime. */
        public WrongShape() {
            // stateless
        }

        @Override
        public Response toResponse(JsonMappingException exception) {
            if (exception.getCause() instanceof JsonProcessingException cause && !(cause instanceof JsonMappingException)) {
                return unreadable(cause);
            }
            String field = exception.getPath().stream().map(reference -> reference.getFieldName() != null
                    ? shown(reference.getFieldName()) : "[" + reference.getIndex() + "]").collect(Collectors.joining("."));
            String message = exception instanceof UnrecognizedPropertyException ? "unknown field" : "has the wrong type";
            return Problems.invalid("The body does not describe the expected object.",
                    List.of(new Problems.Violation(field.isEmpty() ? "body" : field, message)));
        }
    }

    /** 400 for JSON that could not be read: not well-formed, or beyond a limit of {@link JsonReading}. */
    private static Response unreadable(JsonProcessingException exception) {
        String detail = exception instanceof JsonParseException
                ? "The body is not well-formed JSON with distinct field names"
                : "The body is not JSON within the shop's limits: numbers of at most " + JsonReading.MAX_NUMBER_LENGTH
                        + " characters, nesting at most " + JsonReading.MAX_NESTING_DEPTH + " levels deep";
        return Problems.of(Response.Status.BAD_REQUEST, detail + at(exception.getLocation()) + ".");
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String shown(String fieldName) {
        return fieldName.length() <= FIELD_NAME_SHOWN ? fieldName : fieldName.substring(0, FIELD_NAME_SHOWN) + "...";
    }
}
