import AIOZ
import Manifest
import Planning

/// Reads what the account has: the project's videos, through the paged list (100 a page),
/// filtered on the ownership mark so that other videos are never even read.
public enum Observer {
    public static func videos(project: String, client: AIOZClient) async throws -> [ObservedVideo] {
        var query = VideoListQuery()
        query.limit = 100
        query.metadata = [MetadataPair(key: OwnershipMark.project, value: project)]
        let videos = try await client.allVideos(query)
        // The filter is the server's; check the mark again so a lax server can never widen the set.
        return videos.filter { video in
            video.metadata.contains { $0.key == OwnershipMark.project && $0.value == project }
        }.map(observed)
    }

    public static func observed(_ video: Video) -> ObservedVideo {
        ObservedVideo(
            id: video.id, title: video.title, description: video.description, isPublic: video.isPublic,
            tags: video.tags, metadata: video.metadata.map { MetadataEntry(key: $0.key, value: $0.value) },
            status: video.status.rawValue, updatedAt: video.updatedAt)
    }
}
