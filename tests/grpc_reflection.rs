//! Reflection v1 and v1alpha list the services, so grpcurl works without the .proto file;
//! each port lists exactly what it serves, and the admin port has health and reflection too.

mod support;

use tokio_stream::StreamExt;

#[tokio::test]
async fn reflection_lists_the_tagger() {
    let server = support::start(support::args()).await;
    let channel = server.channel().await;

    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    let names = listed(channel.clone()).await;
    for expected in ["newstag.v1.Tagger", "grpc.health.v1.Health"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    assert!(
        !names.iter().any(|n| n == "newstag.v1.Admin"),
        "the public port lists the Admin service it does not serve: {names:?}"
    );
    let mut client = ServerReflectionClient::new(channel.clone());
    let requests = tokio_stream::iter([ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::FileContainingSymbol(
            "newstag.v1.Tagger".into(),
        )),
    }]);
    let mut responses = client
        .server_reflection_info(requests)
        .await
        .unwrap()
        .into_inner();
    let Some(MessageResponse::FileDescriptorResponse(files)) =
        responses.next().await.unwrap().unwrap().message_response
    else {
        panic!("expected the file of newstag.v1.Tagger");
    };
    assert!(!files.file_descriptor_proto.is_empty());

    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient as AlphaClient;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest as AlphaRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse as AlphaResponse;
    let mut alpha = AlphaClient::new(channel);
    let request = tonic_reflection::pb::v1alpha::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(AlphaRequest::ListServices(String::new())),
    };
    let mut responses = alpha
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let Some(AlphaResponse::ListServicesResponse(list)) =
        responses.next().await.unwrap().unwrap().message_response
    else {
        panic!("expected a service list");
    };
    assert!(list.service.iter().any(|s| s.name == "newstag.v1.Tagger"));
    server.stop().await.unwrap();
}

/// The services a port's reflection v1 lists.
async fn listed(channel: tonic::transport::Channel) -> Vec<String> {
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses = ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let Some(MessageResponse::ListServicesResponse(list)) =
        responses.next().await.unwrap().unwrap().message_response
    else {
        panic!("expected a service list");
    };
    list.service.into_iter().map(|s| s.name).collect()
}

#[tokio::test]
async fn the_admin_port_serves_health_and_reflection_of_admin_only() {
    let server = support::start(support::args()).await;
    server.ready().await;
    let admin = tonic::transport::Channel::from_shared(format!("http://{}", server.admin_address))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let names = listed(admin.clone()).await;
    assert!(names.iter().any(|n| n == "newstag.v1.Admin"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "grpc.health.v1.Health"),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n == "newstag.v1.Tagger"), "{names:?}");
    let mut health = tonic_health::pb::health_client::HealthClient::new(admin);
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .status;
    assert_eq!(status, 1, "SERVING on the admin port");
    server.stop().await.unwrap();
}
