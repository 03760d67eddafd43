package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "/api/status, /api/status, true",
        "/api/status, /api/status/, true",
        "/api/status, /api/status//, false",
        "/api/status, /api/status/x, false",
        "/api/status, /api/statusx, false",
        "/api/status, /api/statu, false",
        "/api/status, /api/statu/, false",
        "/api/status/, /api/status, true",
        "/api/status/, /api/status/, true",
        "/api/status/, /api/status//, false",
        "/api/*, /api, true",
        "/api/*, /api/, true",
        "/api/*, /api/orders/1, true",
        "/api/*, /apix, false",
        "/api/*, /other/api/x, false",
        "*.jpg, /img/a.jpg, true",
        "*.jpg, /a.jpg/b, false",
        "*.jpg, /img/a.png, false",
        "/*, /anything/at/all, true",
        "/, /x, true",
    })
    void matchesLikeServletUrlPatterns(String pattern, String path, boolean matches) {
        assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} and {1}: {2}")
    @CsvSource({
        "/api/status, /api/status/, true",
        "/api/status/, /api/status, true",
        "/api/status, /api/*, true",
        "/api/status, /api/status/*, true",
        "/api/x.do, *.do, true",
        "/api/status, /api/statu, false",
        "/api/status, *.do, false",
    })
    void overlapsWhenSomePathMatchesBoth(String one, String other, boolean overlaps) {
        assertThat(PathPattern.parse(one).overlaps(PathPattern.parse(other))).isEqualTo(overlaps);
        assertThat(PathPattern.parse(other).overlaps(PathPattern.parse(one))).isEqualTo(overlaps);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            api/*     | invalid path 'api/*': expected an exact path (/a/b), a prefix (/a/*) or an extension (*.ext)
            /api/*/x  | invalid path '/api/*/x': '*' may appear only as a trailing '/*' or a leading '*.'
            /a*/*     | invalid path '/a*/*': '*' may appear only at the end, as '/*'
            *.        | invalid path '*.': expected an extension such as *.jpg
            *.a/b     | invalid path '*.a/b': expected an extension such as *.jpg
            /api//x   | invalid path '/api//x': the container merges or refuses empty segments ('//'), so this never matches
            /api//*   | invalid path '/api//*': the container merges or refuses empty segments ('//'), so this never matches
            /api/x//  | invalid path '/api/x//': the container merges or refuses empty segments ('//'), so this never matches
            /api/./x  | invalid path '/api/./x': the container resolves '.' and '..' segments before matching, so this never matches
            /api/../* | invalid path '/api/../*': the container resolves '.' and '..' segments before matching, so this never matches
            /api/x/.. | invalid path '/api/x/..': the container resolves '.' and '..' segments before matching, so this never matches
            /api;v=1/x | invalid path '/api;v=1/x': the container removes ';' path parameters before matching, so this never matches
            *.do;x    | invalid path '*.do;x': the container removes ';' path parameters before matching, so this never matches
            """)
    void rejectsPatternsTheServletSpecDoesNotHave(String pattern, String message) {
        assertThatThrownBy(() -> PathPattern.parse(pattern)).hasMessage(message);
    }
}
