"""Where articles come from: files, folders, archives and tables on disk, and web pages fetched
safely."""
