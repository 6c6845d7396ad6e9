//! A minimal newstag client: tags text from the command line (or the seed article) and prints
//! the entities and topics.
//!
//! ```text
//! cargo run --release -- serve &
//! cargo run --example client -- http://127.0.0.1:50051 "Vladimir Putin met NATO leaders in Brussels."
//! ```

use newstag::proto::tagger_client::TaggerClient;
use newstag::proto::{Article, TagOptions, TagRequest};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let endpoint = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:50051".to_owned());
    let body = args
        .next()
        .unwrap_or_else(|| include_str!("../tests/fixtures/seed-article.txt").to_owned());

    let mut client = TaggerClient::connect(endpoint).await?;
    let request = TagRequest {
        article: Some(Article {
            id: "example-1".into(),
            title: String::new(),
            body,
            language: "en".into(),
        }),
        options: Some(TagOptions {
            max_topics: 5,
            ..TagOptions::default()
        }),
    };
    let response = client.tag(request).await?.into_inner();

    println!("gazetteer {}", response.gazetteer_version);
    for entity in &response.entities {
        let texts: Vec<&str> = entity.mentions.iter().map(|m| m.text.as_str()).collect();
        println!(
            "{:.3}  {:<28} {:<13} {:?}",
            entity.relevance, entity.id, entity.r#type, texts
        );
    }
    for topic in &response.topics {
        println!("{:.3}  {} {}", topic.score, topic.id, topic.label);
    }
    Ok(())
}
