// source-redshift-batch: placeholder main until the connector lands (issue 3).
import Foundation

FileHandle.standardError.write(Data("{\"level\":\"error\",\"msg\":\"source-redshift-batch: not implemented yet\"}\n".utf8))
exit(1)
