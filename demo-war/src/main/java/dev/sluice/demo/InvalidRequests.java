package dev.sluice.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a request that fails bean validation (an order with a price of 0 or a size of XL) with
 * 422 and a problem body naming each invalid field, instead of Jersey's plain 400.
 */
@Provider
public final class InvalidRequests implements ExceptionMapper<ConstraintViolationException> {

    /** Created by the JAX-RS runtime. */
    public InvalidRequests() {
        // stateless
    }

    @Override
    public Response toResponse(ConstraintViolationException exception) {
        List<Problems.Violation> violations = new ArrayList<>();
        for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
            violations.add(new Problems.Violation(field(violation.getPropertyPath()), violation.getMessage()));
        }
        violations.sort(Comparator.comparing(Problems.Violation::field).thenComparing(Problems.Violation::message));
        return Problems.invalid("The request is invalid: see violations.", violations);
    }

    /**
     * The invalid field as a client knows it: {@code price} for a field of the body, {@code delayMs}
     * for a query parameter, {@code order} for a missing body (the path starts with the resource
     * method and its parameter).
     */
    private static String field(Path path) {
        List<String> nodes = new ArrayList<>();
        path.forEach(node -> nodes.add(node.getName()));
        List<String> inParameter = nodes.subList(Math.min(1, nodes.size()), nodes.size());
        return String.join(".", inParameter.size() > 1 ? inParameter.subList(1, inParameter.size()) : inParameter);
    }
}
