//! The `newstag.v1` protocol: generated messages and services, the descriptor set (for JSON
//! and reflection), and the proto3 JSON mapping the CLI prints.

#![allow(
    missing_docs,
    clippy::doc_lazy_continuation,
    clippy::large_enum_variant
)]

use std::sync::LazyLock;

use prost_reflect::{DescriptorPool, DynamicMessage};

tonic::include_proto!("newstag.v1");

/// The encoded `FileDescriptorSet` of `proto/`, with comments, as compiled by `build.rs`.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/newstag_descriptor.bin"));

static POOL: LazyLock<Result<DescriptorPool, String>> = LazyLock::new(|| {
    DescriptorPool::decode(FILE_DESCRIPTOR_SET).map_err(|error| error.to_string())
});

/// Renders a message in the canonical proto3 JSON mapping (lowerCamelCase names in field
/// order, enums as names, default values omitted), the document a gRPC JSON transcoder would
/// produce. `full_name` is the message's protobuf name, e.g. `newstag.v1.TagResponse`.
pub fn to_json<M: prost::Message>(
    message: &M,
    full_name: &str,
    pretty: bool,
) -> Result<String, String> {
    let pool = POOL.as_ref().map_err(Clone::clone)?;
    let descriptor = pool
        .get_message_by_name(full_name)
        .ok_or_else(|| format!("{full_name} is not in the descriptor set"))?;
    let dynamic = DynamicMessage::decode(descriptor, message.encode_to_vec().as_slice())
        .map_err(|error| error.to_string())?;
    let written = if pretty {
        serde_json::to_string_pretty(&dynamic)
    } else {
        serde_json::to_string(&dynamic)
    };
    written.map_err(|error| error.to_string())
}

/// [`to_json`] for the message the CLI prints.
pub fn tag_response_json(response: &TagResponse, pretty: bool) -> Result<String, String> {
    to_json(response, "newstag.v1.TagResponse", pretty)
}
