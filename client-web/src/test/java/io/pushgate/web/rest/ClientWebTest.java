package io.pushgate.web.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The service itself: the config document, the pages and their assets, health and metrics. */
@QuarkusTest
class ClientWebTest {

    @Test
    void configTellsThePagesWhereEveryServiceIs() {
        given().when().get("/config.json").then()
                .statusCode(200)
                .header("Cache-Control", containsString("no-store"))
                .body("gateway.url", equalTo("http://localhost:8080"))
                .body("gateway.wsUrl", equalTo("ws://localhost:8080/v1/ws"))
                .body("auth.url", equalTo("http://localhost:8081"))
                .body("bridge.url", equalTo("http://localhost:8082"))
                .body("bridge.wsUrl", equalTo("ws://localhost:8082"))
                .body("feeder.url", equalTo("http://localhost:8083"))
                .body("chat.prefix", equalTo("chat"))
                .body("chat.history", equalTo(50))
                .body("dashboard.channel", equalTo("prices.btc"))
                .body("dashboard.viewTopic", equalTo("views/btc/usd"))
                .body("chat.inboxPrefix", equalTo("inbox"))
                .body("chat.moderator", equalTo("backend-app"))
                .body("moderation.logTopic", equalTo("moderation/log"))
                .body("moderation.statusPrefix", equalTo("moderation/status"))
                .body("moderation.requestsTopic", equalTo("moderation/requests"))
                .body("moderation.flagged", equalTo(20))
                .body("reconnect.maxMs", equalTo(5000));
    }

    @Test
    void thePagesAndTheirModulesAreServed() {
        for (String page : new String[] {"/", "/dashboard.html", "/moderator.html"}) {
            given().when().get(page).then().statusCode(200)
                    .body(containsString("id=\"site-header\""))
                    .body(containsString("/css/app.css"))
                    .body(not(containsString("//cdn")))
                    .body(not(containsString("src=\"http")))
                    .body(not(containsString("href=\"http")));
        }
        for (String module : new String[] {"/js/chat.js", "/js/dashboard.js", "/js/moderator.js", "/js/layout.js", "/lib/pushgate.js"}) {
            given().when().get(module).then().statusCode(200).contentType(containsString("javascript"));
        }
    }

    @Test
    void everyResponseHasAContentSecurityPolicyThatAllowsOnlyTheAppsScriptsAndItsServices() {
        for (String path : new String[] {"/", "/dashboard.html", "/moderator.html", "/js/session.js", "/config.json"}) {
            given().when().get(path).then().statusCode(200)
                    .header("Content-Security-Policy", equalTo("default-src 'self'; script-src 'self'; "
                            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                            + "connect-src 'self' http://localhost:8080 ws://localhost:8080 http://localhost:8081 "
                            + "http://localhost:8082 ws://localhost:8082 http://localhost:8083; "
                            + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"));
        }
    }

    @Test
    void theChartLibraryComesFromTheJarNotACdn() {
        // the version in these paths is the WebJar's (uplot.version in the pom): a bump must change both pages' paths
        given().when().get("/webjars/uplot/1.6.30/dist/uPlot.esm.js").then().statusCode(200)
                .body(containsString("export"));
        given().when().get("/webjars/uplot/1.6.30/dist/uPlot.min.css").then().statusCode(200);
        given().when().get("/dashboard.html").then().statusCode(200)
                .body(containsString("/webjars/uplot/1.6.30/dist/uPlot.min.css"));
        given().when().get("/js/dashboard.js").then().statusCode(200)
                .body(containsString("/webjars/uplot/1.6.30/dist/uPlot.esm.js"));
    }

    @Test
    void healthAndMetrics() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
