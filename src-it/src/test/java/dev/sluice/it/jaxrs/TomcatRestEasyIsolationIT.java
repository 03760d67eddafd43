package dev.sluice.it.jaxrs;

import dev.sluice.it.TestServer;

class TomcatRestEasyIsolationIT extends JaxRsIsolationContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.TOMCAT;
    }

    @Override
    JaxRsRuntime runtime() {
        return JaxRsRuntime.RESTEASY;
    }
}
