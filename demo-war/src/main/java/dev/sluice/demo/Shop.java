package dev.sluice.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.sluice.jaxrs.IsolationContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * The shop's state: its settings and its embedded H2 database, reached through two HikariCP
 * connection pools, as the design notes' payment case has them: payments get a pool of their own,
 * everything else (log queries) shares a smaller one, so a flood of slow log queries can never take
 * the connections a payment needs. A request picks its connection pool by the Sluice isolation pool
 * it runs on ({@link IsolationContext}).
 *
 * <p>Declared as a listener in {@code web.xml}: it opens the database before any request and closes
 * it with the application. Each deployment gets a database of its own, which lives as long as the
 * deployment. Thread-safe.
 */
public final class Shop implements ServletContextListener {

    private static final String ATTRIBUTE = Shop.class.getName();
    private static final String PAYMENT_POOL = "payment";

    private ShopSettings settings;
    private JdbcDataSource database;
    private HikariDataSource payments;
    private HikariDataSource shared;

    /** Called by the container. */
    public Shop() {
        // opened in contextInitialized
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        settings = ShopSettings.load();
        database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:shop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        try {
            createSchema();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the shop's database", e);
        }
        payments = pool("payment-db", settings.paymentPoolSize());
        shared = pool("shared-db", settings.sharedPoolSize());
        event.getServletContext().setAttribute(ATTRIBUTE, this);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(ATTRIBUTE);
        if (shared != null) {
            shared.close();
        }
        if (payments != null) {
            payments.close();
        }
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (SQLException e) {
            event.getServletContext().log("Could not shut the shop's database down", e);
        }
    }

    /** The shop of the web application. */
    static Shop of(ServletContext context) {
        return (Shop) context.getAttribute(ATTRIBUTE);
    }

    ShopSettings settings() {
        return settings;
    }

    /** The connection pool for a request: the payments' own if it runs on the payment pool, else the shared one. */
    DataSource connections(IsolationContext isolation) {
        return isolation.pool().filter(PAYMENT_POOL::equals).isPresent() ? payments : shared;
    }

    /** Records an order and its audit line in one transaction. */
    Order createOrder(DataSource connections, OrderRequest request) throws SQLException {
        // Milliseconds: what the database keeps exactly, so a read answers what the creation did.
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        Order order = new Order(UUID.randomUUID().toString(), request.item(),
                request.price().setScale(2, RoundingMode.UNNECESSARY), request.size(), now);
        try (Connection connection = connections.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO orders (id, item, price, item_size, created_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, order.id());
                insert.setString(2, order.item());
                insert.setBigDecimal(3, order.price());
                insert.setString(4, order.size());
                insert.setTimestamp(5, Timestamp.from(Instant.parse(order.createdAt())));
                insert.executeUpdate();
                audit(connection, "order " + order.id() + " created: " + order.size() + " " + order.item()
                        + " for " + order.price());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        return order;
    }

    Optional<Order> order(DataSource connections, String id) throws SQLException {
        try (Connection connection = connections.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, item, price, item_size, created_at FROM orders WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Order(row.getString(1), row.getString(2), row.getBigDecimal(3),
                        row.getString(4), row.getTimestamp(5).toInstant().toString()));
            }
        }
    }

    /**
     * The latest audit lines. {@code delayMillis} makes it a slow query: the connection is held that
     * long first, as a query scanning a large table would hold it.
     */
    List<LogEntry> latestLogs(DataSource connections, int limit, long delayMillis) throws SQLException, InterruptedException {
        try (Connection connection = connections.getConnection()) {
            Thread.sleep(delayMillis);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, logged_at, message FROM audit_log ORDER BY id DESC LIMIT ?")) {
                select.setInt(1, limit);
                List<LogEntry> entries = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        entries.add(new LogEntry(row.getLong(1), row.getTimestamp(2).toInstant().toString(), row.getString(3)));
                    }
                }
                return entries;
            }
        }
    }

    private void createSchema() throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id VARCHAR(36) PRIMARY KEY, item VARCHAR(100) NOT NULL,"
                    + " price DECIMAL(12, 2) NOT NULL, item_size CHAR(1) NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            statement.execute("CREATE TABLE audit_log (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " logged_at TIMESTAMP WITH TIME ZONE NOT NULL, message VARCHAR(500) NOT NULL)");
            audit(connection, "shop opened");
        }
    }

    private static void audit(Connection connection, String message) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log (logged_at, message) VALUES (?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(Instant.now()));
            insert.setString(2, message);
            insert.executeUpdate();
        }
    }

    private HikariDataSource pool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(database);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    /** An order as stored; {@code createdAt} in ISO-8601. */
    record Order(String id, String item, BigDecimal price, String size, String createdAt) {
    }

    /** One line of the audit log; {@code loggedAt} in ISO-8601. */
    record LogEntry(long id, String loggedAt, String message) {
    }
}
