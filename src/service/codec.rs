//! The gRPC codec of the newstag services: prost's, except that a request the server cannot
//! decode (bytes that are no protobuf message, a string field that is not UTF-8) is the
//! caller's `INVALID_ARGUMENT` with a message saying what was wrong, not prost's `INTERNAL`,
//! which our clients read as a server bug. The status itself is built in
//! [`super::status`], like every other.

use std::marker::PhantomData;

use tonic::Status;
use tonic::codec::{BufferSettings, DecodeBuf, Decoder};
use tonic_prost::ProstEncoder;

use super::status::ServiceError;

/// `application/grpc+proto` through prost, with decode failures mapped by [`ServiceError`].
#[derive(Debug, Clone)]
pub struct Codec<T, U> {
    _types: PhantomData<(T, U)>,
}

impl<T, U> Default for Codec<T, U> {
    fn default() -> Self {
        Self {
            _types: PhantomData,
        }
    }
}

impl<T, U> tonic::codec::Codec for Codec<T, U>
where
    T: prost::Message + Send + 'static,
    U: prost::Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = ProstEncoder<T>;
    type Decoder = MessageDecoder<U>;

    fn encoder(&mut self) -> Self::Encoder {
        ProstEncoder::new(BufferSettings::default())
    }

    fn decoder(&mut self) -> Self::Decoder {
        MessageDecoder { _type: PhantomData }
    }
}

/// Decodes one `U`, or says why the bytes are not one.
#[derive(Debug, Clone)]
pub struct MessageDecoder<U> {
    _type: PhantomData<U>,
}

impl<U: prost::Message + Default> Decoder for MessageDecoder<U> {
    type Item = U;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<U>, Status> {
        U::decode(buf).map(Some).map_err(|error| {
            let message = std::any::type_name::<U>()
                .rsplit("::")
                .next()
                .unwrap_or("message");
            ServiceError::Undecodable {
                message: message.to_owned(),
                reason: error.to_string(),
            }
            .into()
        })
    }

    fn buffer_settings(&self) -> BufferSettings {
        BufferSettings::default()
    }
}
