package dev.sluice.demo;

import java.math.BigDecimal;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/orders}: {@code {"item": "tea", "price": 12.5, "size": "M"}}. */
record OrderRequest(
        @NotBlank @Size(max = 100) String item,
        @NotNull @Positive @Digits(integer = 10, fraction = 2) BigDecimal price,
        @NotNull @Pattern(regexp = "[SML]", message = "must be one of S, M, L") String size) {
}
