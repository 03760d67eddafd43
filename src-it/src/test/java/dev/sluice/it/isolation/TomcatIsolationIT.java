package dev.sluice.it.isolation;

import dev.sluice.it.TestServer;

class TomcatIsolationIT extends IsolationContract {
    @Override
    TestServer.Kind kind() {
        return TestServer.Kind.TOMCAT;
    }
}
