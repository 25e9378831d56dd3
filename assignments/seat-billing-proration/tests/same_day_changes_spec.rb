# frozen_string_literal: true

require_relative "support"

RSpec.describe "same-day changes" do
  it "are combined into one invoice from the morning's seating to the evening's" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), plan: business)
    sub.change(on: day("2024-03-11"), seats: 6)
    invoices = sub.invoices_through(day("2024-03-31"))

    expect(issued_on(invoices)).to eq(%w[2024-03-01 2024-03-11])
    # 6 x 25.00 x 21/31 = 101.613
    expect(lines(invoices.last)).to eq([
      [:credit, "team", 4, "2024-03-11", "2024-04-01", -3_252],
      [:charge, "business", 6, "2024-03-11", "2024-04-01", 10_161]
    ])
  end

  it "that end where they started issue no invoice" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-03-11"), seats: 6)
    sub.change(on: day("2024-03-11"), seats: 4)

    expect(issued_on(sub.invoices_through(day("2024-04-01")))).to eq(%w[2024-03-01 2024-04-01])
  end

  it "on a renewal day are all in that day's renewal" do
    sub = Billing::Subscription.new(plan: team, seats: 4, starts_on: day("2024-03-01"))
    sub.change(on: day("2024-04-01"), plan: business)
    sub.change(on: day("2024-04-01"), seats: 1)
    invoices = sub.invoices_through(day("2024-04-30"))

    expect(invoices.map { |invoice| lines(invoice) }).to eq([
      [[:renewal, "team", 4, "2024-03-01", "2024-04-01", 4_800]],
      [[:renewal, "business", 1, "2024-04-01", "2024-05-01", 2_500]]
    ])
  end
end
