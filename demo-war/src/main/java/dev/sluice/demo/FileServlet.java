package dev.sluice.demo;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A plain servlet, no JAX-RS: serves the files under {@code /WEB-INF/files} at {@code /files/*}
 * ({@code /files/} lists them). Sluice limits it through the filter's path rules only, and runs it
 * on a pool of its own by wrapping it in {@code IsolatingServlet} in {@code web.xml}.
 */
public final class FileServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String ROOT = "/WEB-INF/files";

    /** Called by the container (here, by {@code IsolatingServlet}). */
    public FileServlet() {
        // stateless
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            list(response);
            return;
        }
        if (!isPlainPath(path)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream file = getServletContext().getResourceAsStream(ROOT + path)) {
            if (file == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            String type = getServletContext().getMimeType(path);
            response.setContentType(type != null ? type : "application/octet-stream");
            if (type != null && type.startsWith("text/")) {
                response.setCharacterEncoding("UTF-8");
            }
            file.transferTo(response.getOutputStream());
        }
    }

    private void list(HttpServletResponse response) throws IOException {
        Set<String> names = new TreeSet<>();
        Set<String> paths = getServletContext().getResourcePaths(ROOT + "/");
        if (paths != null) {
            paths.stream().filter(p -> !p.endsWith("/")).forEach(p -> names.add(p.substring(p.lastIndexOf('/') + 1)));
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(String.join("\n", names) + "\n");
    }

    /** Only names of files directly in the folder: no {@code ..}, no subfolders, nothing hidden. */
    private static boolean isPlainPath(String path) {
        String name = path.substring(1);
        return !name.isEmpty() && !name.startsWith(".") && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_');
    }
}
