package io.pushgate.feeder.support;

import io.pushgate.testsupport.TestIssuerResource;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests as an operator of the feed: a fresh token of the tests' issuer with the role {@code TOPIC_CONTROL}. */
public final class Operator {

    private Operator() {
    }

    public static RequestSpecification asOperator() {
        return RestAssured.given().auth().oauth2(TestIssuerResource.token("operator", "TOPIC_CONTROL"));
    }
}
