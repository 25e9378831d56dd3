# The command runner's warm RSpec: Ruby started, and RSpec and the libraries named required,
# before the job arrives; then the job's `rspec` arguments, in this process.
#
# The harness starts it as the candidate's uid, in the submission's (still empty) folder, with
# no secret and no file of the job: `ruby rspec-warm.rb [LIBRARY...]`, its stdin a pipe. Once
# the submission and the hidden specs are in place, the harness writes the command (`rspec` and
# its arguments, each ended by a NUL byte) to the pipe and closes it; this process then does
# what Debian's /usr/bin/rspec does with the arguments. Under gVisor, starting Ruby and requiring
# RSpec is about 0.6 s of a small run's 0.9 s.
require "rspec/core"
ARGV.each { |library| require library }
job = $stdin.binmode.read
exit 3 if job.empty? # the harness closed the pipe without a job: it runs cold, or not at all
ARGV.replace(job.split("\0").drop(1).map { |arg| arg.force_encoding(Encoding::UTF_8) })
# RSpec's "files took N seconds to load" counts from here, not from the warm-up.
RSpec.configuration.start_time = RSpec::Core::Time.now
RSpec::Core::Runner.invoke
