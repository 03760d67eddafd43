package dev.sluice.it.isolation;

import dev.sluice.it.TestServer;

class JettyIsolationIT extends IsolationContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.JETTY;
    }
}
