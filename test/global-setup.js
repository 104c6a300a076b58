// Pin the host zone so runs are reproducible. Domain code must not rely on it: day boundaries
// are computed explicitly in Asia/Shanghai (see test/cloudfunctions/_shared/domain/time.test.ts,
// which re-checks them under TZ=UTC). Workers inherit this environment.
module.exports = async () => {
  process.env.TZ = 'Asia/Shanghai';
};
