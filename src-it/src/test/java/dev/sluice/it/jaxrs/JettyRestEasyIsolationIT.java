package dev.sluice.it.jaxrs;

import dev.sluice.it.TestServer;

class JettyRestEasyIsolationIT extends JaxRsIsolationContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.JETTY;
    }

    @Override
    JaxRsRuntime runtime() {
        return JaxRsRuntime.RESTEASY;
    }
}
